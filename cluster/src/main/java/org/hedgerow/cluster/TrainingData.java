package org.hedgerow.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;

/**
 * What a worker receives of a silo: its customers' <em>training</em> baskets, already indexed against
 * the federation's catalogue (gzipped binary). The held-out test baskets are not sent — a worker only
 * trains; the simulating process evaluates — so the data shipped is the least the silo pipeline needs.
 */
final class TrainingData {
  private TrainingData() {}

  /** Format version, first in every encoding. */
  static final int VERSION = 1;

  static byte[] encode(SiloData silo) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
      out.writeInt(VERSION);
      out.writeUTF(silo.name());
      out.writeInt(silo.customers().size());
      for (CustomerLog c : silo.customers()) {
        out.writeInt(c.customerId());
        out.writeInt(c.train().size());
        for (Basket b : c.train()) {
          out.writeUTF(b.invoice());
          out.writeInt(b.customerId());
          out.writeLong(b.time().toEpochSecond(ZoneOffset.UTC));
          out.writeInt(b.time().getNano());
          ints(out, b.items());
          ints(out, b.quantities());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static SiloData decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(encoded)))) {
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException("silo data of format version " + version + ", this worker reads "
            + VERSION + ": run the same Hedgerow version on every member");
      }
      String name = in.readUTF();
      int customers = count(in, "customers");
      List<CustomerLog> logs = new ArrayList<>(customers);
      for (int i = 0; i < customers; i++) {
        int id = in.readInt();
        int baskets = count(in, "baskets");
        List<Basket> train = new ArrayList<>(baskets);
        for (int k = 0; k < baskets; k++) {
          String invoice = in.readUTF();
          int customer = in.readInt();
          LocalDateTime time = LocalDateTime.ofEpochSecond(in.readLong(), in.readInt(), ZoneOffset.UTC);
          int[] items = ints(in);
          int[] quantities = ints(in);
          if (items.length != quantities.length) {
            throw new IllegalArgumentException("silo " + name + ": basket " + invoice + " has " + items.length
                + " items but " + quantities.length + " quantities");
          }
          train.add(new Basket(invoice, customer, time, items, quantities));
        }
        logs.add(new CustomerLog(id, train, List.of()));
      }
      return new SiloData(name, logs);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt silo data: " + e.getMessage(), e);
    }
  }

  private static void ints(DataOutputStream out, int[] v) throws IOException {
    out.writeInt(v.length);
    for (int x : v) {
      out.writeInt(x);
    }
  }

  private static int[] ints(DataInputStream in) throws IOException {
    int[] v = new int[count(in, "entries")];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readInt();
    }
    return v;
  }

  private static int count(DataInputStream in, String what) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 50_000_000) {
      throw new IllegalArgumentException("corrupt silo data: " + n + " " + what);
    }
    return n;
  }
}
