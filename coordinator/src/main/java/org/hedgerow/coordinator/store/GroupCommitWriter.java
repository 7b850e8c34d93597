package org.hedgerow.coordinator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer: a thread that owns the JDBC connection and runs submitted operations in
 * submission order. Operations waiting when the writer becomes free are run in one transaction and
 * committed together (group commit), so N concurrent uploads cost one fsync instead of N. If any
 * operation of a batch fails, the batch is rolled back and each operation re-run in its own
 * transaction, so one bad operation fails alone. An operation's future completes only after its
 * transaction committed. {@code beforeCommit} runs before every commit: what the rows point to outside
 * the database (update body files) is forced to disk first.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  /** Most operations in one commit; bounds the transaction (and its WAL growth) under load. */
  static final int MAX_BATCH = 256;

  /** One unit of work on the connection; must have no effect outside the database (it may be re-run). */
  @FunctionalInterface
  interface Op<T> {
    T run(Connection c) throws SQLException;
  }

  /** {@code solo}: runs in a transaction of its own (its op has effects that must not be repeated). */
  private record Task<T>(Op<T> op, CompletableFuture<T> done, boolean solo) {}

  private static final Task<Void> STOP = new Task<>(c -> null, new CompletableFuture<>(), true);

  private final Connection connection;
  private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Runnable beforeCommit;
  private volatile boolean closed;

  GroupCommitWriter(Connection connection, String name) {
    this(connection, name, () -> {});
  }

  GroupCommitWriter(Connection connection, String name, Runnable beforeCommit) {
    this.connection = connection;
    this.beforeCommit = beforeCommit;
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues {@code op}; the future completes once it committed (or failed). */
  <T> CompletableFuture<T> submit(Op<T> op) {
    return submit(op, false);
  }

  private <T> CompletableFuture<T> submit(Op<T> op, boolean solo) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new StoreException("the store is closed"));
      return f;
    }
    queue.add(new Task<>(op, f, solo));
    return f;
  }

  /**
   * Runs {@code op} in a transaction of its own and waits for its commit; must not be called from
   * the writer thread. Never re-run, so {@code op} may call code with outside effects.
   */
  <T> T call(Op<T> op) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("blocking store call from the store's writer thread");
    }
    try {
      return submit(op, true).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException(e.getCause().getMessage(), e.getCause());
    }
  }

  private void loop() {
    List<Task<?>> batch = new ArrayList<>();
    while (true) {
      batch.clear();
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      boolean stop = batch.remove(STOP);
      List<Task<?>> group = new ArrayList<>();
      for (Task<?> t : batch) {
        if (t.solo()) {
          if (!group.isEmpty()) {
            runBatch(group);
            group = new ArrayList<>();
          }
          runBatch(List.of(t));
        } else {
          group.add(t);
        }
      }
      if (!group.isEmpty()) {
        runBatch(group);
      }
      if (stop) {
        for (Task<?> t; (t = queue.poll()) != null; ) {
          t.done().completeExceptionally(new StoreException("the store is closed"));
        }
        return;
      }
    }
  }

  private void runBatch(List<Task<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    try {
      for (Task<?> t : batch) {
        results.add(t.op().run(connection));
      }
      beforeCommit.run();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      rollback();
      if (batch.size() == 1) {
        batch.get(0).done().completeExceptionally(wrap(e));
        return;
      }
      log.debug("group commit of {} operations failed ({}); running them one by one", batch.size(), e.toString());
      for (Task<?> t : batch) {
        runBatch(List.of(t));
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> t, Object result) {
    t.done().complete((T) result);
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.error("store rollback failed", e);
    }
  }

  private static RuntimeException wrap(Exception e) {
    return e instanceof RuntimeException r ? r : new StoreException("store write failed: " + e.getMessage(), e);
  }

  /** Runs what was queued before, then stops the writer. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
