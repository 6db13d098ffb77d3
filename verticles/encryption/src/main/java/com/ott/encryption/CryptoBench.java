package com.ott.encryption;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Single-thread throughput of field-level protection: protect and unprotect of a typical playback event with
 * three personal fields (accountId, deviceId, ip), with in-memory keys of one tenant (no PostgreSQL, no bus).
 * Figures are per CPU-second of the measuring thread, i.e. per core. {@code --seconds N} sets the CPU time
 * measured per row (default 3), {@code --warmup N} the wall-clock warm-up of all rows before (default 15).
 */
public final class CryptoBench {
  private static final int BATCH = 10_000;
  private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

  private CryptoBench() {}

  public static void main(String[] args) {
    double seconds = 3;
    double warmup = 15;
    for (int i = 0; i < args.length; i++) {
      if ("--seconds".equals(args[i]) && i + 1 < args.length) {
        seconds = Double.parseDouble(args[++i]);
      } else if ("--warmup".equals(args[i]) && i + 1 < args.length) {
        warmup = Double.parseDouble(args[++i]);
      } else if ("--help".equals(args[i]) || "-h".equals(args[i])) {
        System.out.println("usage: CryptoBench [--seconds N] [--warmup N]   protect/unprotect events per CPU-second, one thread");
        return;
      } else {
        throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    TenantKeys keys = TenantKeys.generate("bench-tenant");
    EventProtector protector = new EventProtector(keys);
    List<String> fields = EventProtector.personalFields(null);
    List<JsonObject> clear = events(BATCH);
    List<JsonObject> sealed = new ArrayList<>(BATCH);
    for (JsonObject e : clear) {
      sealed.add(protector.protect(e.copy(), fields));
    }
    long nanos = (long) (seconds * 1e9);
    Op protect = e -> protector.protect(e, fields);
    Op unprotect = protector::unprotect;
    Op token = e -> protector.token("accountId", e.getString("accountId"));

    // until the JIT has compiled the crypto paths (slow on a busy machine: the compiler threads wait for a core)
    long warmUntil = System.nanoTime() + (long) (warmup * 1e9);
    while (System.nanoTime() < warmUntil) {
      run(1, clear, protect);
      run(1, sealed, unprotect);
      run(1, clear, token);
    }
    List<Row> rows = List.of(
        new Row("protect (3 personal fields)", run(nanos, clear, protect)),
        new Row("unprotect (3 personal fields)", run(nanos, sealed, unprotect)),
        new Row("token only (accountId)", run(nanos, clear, token)));

    System.out.printf(Locale.ROOT, "crypto bench: Tink AES-256-GCM seal + AES-256-SIV tokens, 1 thread, Java %s, %d cores visible%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-32s %14s %12s%n", "operation", "ops/cpu-s", "cpu-us/op");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "%-32s %,14.0f %12.2f%n", r.name(), r.opsPerSecond(), 1e6 / r.opsPerSecond());
    }
    JsonObject sample = protector.protect(clear.get(0).copy(), fields);
    System.out.println("protected event size: " + sample.encode().length() + " bytes (clear: " + clear.get(0).encode().length() + ")");
  }

  private record Row(String name, double opsPerSecond) {}

  private interface Op {
    void apply(JsonObject event);
  }

  /**
   * Ops per CPU-second of this thread over about {@code nanos} of timed work (CPU time, so other load on the
   * machine does not count against it); copying the input events is not timed.
   */
  private static double run(long nanos, List<JsonObject> source, Op op) {
    long timed = 0;
    long ops = 0;
    while (timed < nanos) {
      List<JsonObject> batch = new ArrayList<>(source.size());
      for (JsonObject e : source) {
        batch.add(e.copy());
      }
      long start = THREAD.getCurrentThreadCpuTime();
      for (JsonObject e : batch) {
        op.apply(e);
      }
      timed += THREAD.getCurrentThreadCpuTime() - start;
      ops += batch.size();
    }
    return ops * 1e9 / timed;
  }

  private static List<JsonObject> events(int n) {
    List<JsonObject> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new JsonObject()
          .put("eventId", UUID.randomUUID().toString())
          .put("type", "playback.start")
          .put("occurredAt", "2025-06-01T20:15:" + String.format(Locale.ROOT, "%02d", i % 60) + "Z")
          .put("accountId", "acct-" + (100_000 + i % 5_000))
          .put("profileId", "profile-" + (i % 4))
          .put("deviceId", "device-" + UUID.nameUUIDFromBytes(("d" + i % 12_000).getBytes()))
          .put("sessionId", "session-" + i)
          .put("ip", "203.0." + (i % 200) + "." + (i % 250 + 1))
          .put("country", "DE")
          .put("contentId", "title-" + (i % 800))
          .put("vpn", false)
          .put("captions", true));
    }
    return out;
  }
}
