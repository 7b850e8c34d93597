package org.hedgerow.coordinator.service;

import io.vertx.ext.web.RoutingContext;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.coordinator.http.RejectedException;

/** Reads what a request carries, refusing with a 400 that names the header, parameter or field. */
final class Requests {
  private Requests() {}

  /** The JSON body as the wire record {@code type}; {@code what} names the body in a refusal. */
  static <T> T body(RoutingContext ctx, Class<T> type, String what) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) {
      throw new RejectedException(400, "expected a JSON object body");
    }
    try {
      return WireJson.decode(ctx.body().asString(), type);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(400, what + ": " + e.getMessage());
    }
  }

  /** As {@link #body}, with an empty body read as {@code empty}. */
  static <T> T bodyOr(RoutingContext ctx, Class<T> type, String what, T empty) {
    boolean none = ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0;
    return none ? empty : body(ctx, type, what);
  }

  static String requiredHeader(RoutingContext ctx, String name) {
    String v = ctx.request().getHeader(name);
    if (v == null) {
      throw new RejectedException(400, "missing header " + name);
    }
    return v;
  }

  static int parseInt(String s, String what) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new RejectedException(400, what + " must be an integer. Provided value: " + s);
    }
  }

  static long parseLong(String s, String what) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new RejectedException(400, what + " must be an integer. Provided value: " + s);
    }
  }

  static double parseDouble(String s, String what) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new RejectedException(400, what + " must be a number. Provided value: " + s);
    }
  }

  /** The declared Content-Length, or -1 (none or not a number). */
  static long contentLength(RoutingContext ctx) {
    String cl = ctx.request().getHeader("Content-Length");
    try {
      return cl == null ? -1 : Long.parseLong(cl.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** {@code s} cut to 200 characters, for echoing caller-controlled text in a message. */
  static String abbreviate(String s) {
    return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
