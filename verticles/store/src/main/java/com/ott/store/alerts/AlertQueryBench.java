package com.ott.store.alerts;

import com.ott.runtime.Postgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * How fast the first page of the alert list is with a million alerts in one tenant.
 * Inserts the alerts with generate_series (one statement per 100,000), analyzes, then times
 * each query shape {@code --runs} times through {@link AlertRepository#list} (the API's query)
 * and prints p50/p99/max. Run it against a scratch database:
 * <pre>
 * nice java -cp ... com.ott.store.alerts.AlertQueryBench --pg-url postgresql://postgres@127.0.0.1:5432/ott_bench
 * </pre>
 */
public final class AlertQueryBench {
  private static final Instant START = Instant.parse("2025-06-01T00:00:00Z");
  private static final int INSERT_BATCH = 100_000;
  private static final List<String> RULES = List.of("geo_restriction", "license_window", "concurrent_streams",
      "credential_sharing", "impossible_travel", "vpn_playback", "parental_rating", "kids_ad_minutes", "kids_targeted_ad",
      "consent_violation", "captions_missing", "anomaly.events.playback.start");

  // 12 rules, 3 severities and 5% OPEN / 15% ACKNOWLEDGED / 80% RESOLVED, drawn independently (hashes of the
  // row number, so every run builds the same data); one alert every 30 s of event time (a million span about
  // 347 days), 50,000 accounts
  private static final String INSERT = """
      INSERT INTO alerts (tenant_id, rule_id, severity, status, subject, dedup_key, first_seen_at, last_seen_at, count,
                          evidence, explanation, created_at, updated_at)
      SELECT $1,
             ($2::text[])[1 + (hashint4(g)::bigint & 2147483647) % 12],
             (ARRAY['LOW', 'MEDIUM', 'HIGH'])[1 + (hashint4(g # 1431655765)::bigint & 2147483647) % 3],
             CASE (hashint4(g # 858993459)::bigint & 2147483647) % 20
               WHEN 0 THEN 'OPEN' WHEN 1 THEN 'ACKNOWLEDGED' WHEN 2 THEN 'ACKNOWLEDGED' WHEN 3 THEN 'ACKNOWLEDGED'
               ELSE 'RESOLVED' END,
             jsonb_build_object('accountToken', 'tk_' || (g % 50000)),
             'bench|' || g,
             $3::timestamptz + g * interval '30 seconds',
             $3::timestamptz + g * interval '30 seconds' + interval '1 minute',
             1 + g % 5,
             jsonb_build_object('eventIds', jsonb_build_array('e' || g), 'values', jsonb_build_object('n', g % 5)),
             'benchmark alert', now(), now()
      FROM generate_series($4::int, $5::int) AS g
      """;

  private AlertQueryBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    if (opts.containsKey("help")) {
      System.out.println("""
          usage: AlertQueryBench [--pg-url URL] [--alerts N] [--runs N] [--warmup N] [--tenant ID] [--keep] [--explain]
            --pg-url   PostgreSQL (default $OTT_PG_URL); use a scratch database
            --alerts   alerts to insert for one tenant (default 1000000; 0 = reuse --tenant's alerts)
            --runs     timed runs per query shape (default 1000), after --warmup runs (default 50)
            --keep     keep the alerts afterwards (default: delete them)
            --explain  print each shape's plan (EXPLAIN ANALYZE) once""");
      return;
    }
    String url = opts.getOrDefault("pg-url", System.getenv("OTT_PG_URL"));
    int alerts = Integer.parseInt(opts.getOrDefault("alerts", "1000000"));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "1000"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "50"));
    String tenant = opts.getOrDefault("tenant", "bench-" + UUID.randomUUID());
    boolean keep = opts.containsKey("keep");

    Vertx vertx = Vertx.vertx();
    try {
      Postgres.migrate(vertx, url, "store").await(120, TimeUnit.SECONDS);
      // the queries run as the application role, under row-level security, as in production; ANALYZE needs the owner
      Pool pool = Postgres.pool(vertx, url, 2);
      Pool owner = Postgres.ownerPool(vertx, url, 1);
      Postgres.verifyAppRole(pool).await(30, TimeUnit.SECONDS);
      AlertRepository repository = new AlertRepository(pool);
      if (alerts > 0) {
        long t0 = System.nanoTime();
        for (int from = 0; from < alerts; from += INSERT_BATCH) {
          int to = Math.min(alerts, from + INSERT_BATCH) - 1;
          Tuple batch = Tuple.of(tenant, RULES.toArray(new String[0]), START.atOffset(java.time.ZoneOffset.UTC), from, to);
          Postgres.inTenant(pool, tenant, conn -> conn.preparedQuery(INSERT).execute(batch)).await(30, TimeUnit.MINUTES);
          System.out.printf(Locale.ROOT, "inserted %,d alerts (%.1f s)%n", to + 1, (System.nanoTime() - t0) / 1e9);
        }
        owner.query("ANALYZE alerts").execute().await(10, TimeUnit.MINUTES);
        System.out.printf(Locale.ROOT, "insert + analyze of %,d alerts: %.1f s%n", alerts, (System.nanoTime() - t0) / 1e9);
      }
      long count = Postgres.inTenant(pool, tenant, conn -> conn.preparedQuery("SELECT count(*) FROM alerts WHERE tenant_id = $1")
              .execute(Tuple.of(tenant)))
          .await(10, TimeUnit.MINUTES).iterator().next().getLong(0);
      System.out.printf(Locale.ROOT, "tenant %s has %,d alerts%n%n", tenant, count);

      Instant mid = START.plusSeconds(30L * alerts / 2);
      AlertCursor middle = middleCursor(repository, tenant, mid);
      Map<String, AlertQuery> shapes = new LinkedHashMap<>();
      shapes.put("no filter", q(null, null, null, null, null, null));
      shapes.put("status=OPEN", q(AlertStatus.OPEN, null, null, null, null, null));
      shapes.put("severity=HIGH", q(null, Severity.HIGH, null, null, null, null));
      shapes.put("rule=captions_missing", q(null, null, "captions_missing", null, null, null));
      shapes.put("status=OPEN rule=geo_restriction", q(AlertStatus.OPEN, null, "geo_restriction", null, null, null));
      shapes.put("status=ACK severity=HIGH rule=vpn", q(AlertStatus.ACKNOWLEDGED, Severity.HIGH, "vpn_playback", null, null, null));
      shapes.put("status=OPEN sev=LOW rule=kids_ad", q(AlertStatus.OPEN, Severity.LOW, "kids_ad_minutes", null, null, null));
      shapes.put("from/to one week", q(null, null, null, mid, mid.plusSeconds(7 * 86_400), null));
      shapes.put("rule + from/to 30 days", q(null, null, "consent_violation", mid, mid.plusSeconds(30 * 86_400L), null));
      shapes.put("status=OPEN + cursor mid-way", q(AlertStatus.OPEN, null, null, null, null, middle));

      if (opts.containsKey("explain")) {
        explain(pool, tenant);
      }
      System.out.printf(Locale.ROOT, "first page (limit 100), %d runs after %d warm-up runs, one at a time%n", runs, warmup);
      System.out.printf(Locale.ROOT, "%-36s %6s %9s %9s %9s%n", "query", "items", "p50 ms", "p99 ms", "max ms");
      for (Map.Entry<String, AlertQuery> shape : shapes.entrySet()) {
        int items = 0;
        for (int i = 0; i < warmup; i++) {
          items = repository.list(tenant, shape.getValue()).await(60, TimeUnit.SECONDS).items().size();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
          long t = System.nanoTime();
          repository.list(tenant, shape.getValue()).await(60, TimeUnit.SECONDS);
          nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-36s %6d %9.2f %9.2f %9.2f%n", shape.getKey(), items,
            nanos[(int) Math.ceil(runs * 0.50) - 1] / 1e6, nanos[(int) Math.ceil(runs * 0.99) - 1] / 1e6, nanos[runs - 1] / 1e6);
      }
      if (!keep && alerts > 0) {
        Postgres.inTenant(pool, tenant, conn -> conn.preparedQuery("DELETE FROM alerts WHERE tenant_id = $1")
            .execute(Tuple.of(tenant))).await(30, TimeUnit.MINUTES);
        System.out.println("\ndeleted the benchmark alerts (--keep keeps them)");
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static AlertQuery q(AlertStatus status, Severity severity, String rule, Instant from, Instant to, AlertCursor cursor) {
    return new AlertQuery(status, severity, rule, from, to, 100, cursor);
  }

  private static AlertCursor middleCursor(AlertRepository repository, String tenant, Instant mid) throws Exception {
    var page = repository.list(tenant, new AlertQuery(null, null, null, null, mid, 1, null)).await(60, TimeUnit.SECONDS);
    if (page.items().isEmpty()) {
      return null;
    }
    var first = page.items().get(0);
    return new AlertCursor(Instant.parse(first.getString("firstSeenAt")), UUID.fromString(first.getString("alertId")));
  }

  private static void explain(Pool pool, String tenant) throws Exception {
    List<String> sqls = new ArrayList<>(List.of(
        "SELECT alert_id FROM alerts WHERE tenant_id = $1 ORDER BY first_seen_at DESC, alert_id DESC LIMIT 101",
        "SELECT alert_id FROM alerts WHERE tenant_id = $1 AND status = 'OPEN' AND severity = 'LOW' AND rule_id = 'kids_ad_minutes'"
            + " ORDER BY first_seen_at DESC, alert_id DESC LIMIT 101"));
    for (String sql : sqls) {
      System.out.println(sql);
      for (Row row : Postgres.inTenant(pool, tenant, conn -> conn.preparedQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)
          .execute(Tuple.of(tenant))).await(60, TimeUnit.SECONDS)) {
        System.out.println("  " + row.getString(0));
      }
      System.out.println();
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unknown argument " + a + " (see --help)");
      }
      String name = a.substring(2);
      if (List.of("keep", "explain", "help").contains(name)) {
        opts.put(name, "true");
      } else if (i + 1 < args.length) {
        opts.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException(a + " needs a value");
      }
    }
    return opts;
  }
}
