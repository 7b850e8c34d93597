package org.hedgerow.edge.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Event times as logs write them: epoch seconds (or milliseconds, from 10^11 on: later than the year
 * 5138 in seconds), or ISO-8601 (date-time with or without an offset, a space instead of the 'T', or
 * a bare date). Everything is brought to UTC local time.
 */
public final class EventTime {
  private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]");
  private static final long MILLIS_FROM = 100_000_000_000L;

  private EventTime() {}

  /** @throws IllegalArgumentException naming the value when it is none of the accepted forms */
  public static LocalDateTime parse(String raw) {
    String s = raw == null ? "" : raw.trim();
    if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() <= 15) {
      long v = Long.parseLong(s);
      Instant at = v >= MILLIS_FROM ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
      return LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    }
    try {
      return OffsetDateTime.parse(s).atZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    } catch (DateTimeParseException ignored) {
      // not with an offset: try the local forms
    }
    try {
      return LocalDateTime.parse(s);
    } catch (DateTimeParseException ignored) {
      // not ISO with a 'T'
    }
    try {
      return LocalDateTime.parse(s, SPACED);
    } catch (DateTimeParseException ignored) {
      // not with a space
    }
    try {
      return LocalDate.parse(s).atStartOfDay();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time is neither epoch seconds nor ISO-8601: '" + s + "'");
    }
  }

  /**
   * The basket an event belongs to: one per customer per UTC day. Event logs have no invoices, and a
   * day's views, carts and purchases are what the features treat as one visit.
   */
  public static String session(int customer, LocalDateTime time) {
    return "u" + customer + "-" + time.toLocalDate().toString().replace("-", "");
  }
}
