package com.ott.encryption;

import com.ott.runtime.Postgres;
import com.ott.testkit.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the encryption tests share: a database of their own on the test PostgreSQL (so the keysets they create,
 * wrapped by the test KEK, never meet another module's tests or another KEK), the test-only KEK, configuration,
 * a stored-events table shaped like the store's, and typical events.
 */
final class EncryptionTestSupport {
  /** The tests' database: {@code ott_encryption_<database of the test URL>}, so each test database has its own. */
  static final String DATABASE = "ott_encryption_" + URI.create(TestServices.pgUrl()).getPath().replaceAll("[^A-Za-z0-9_]", "");
  /** Stands in for the store's {@code events} table, under a name the store's migrations never touch. */
  static final String EVENTS_TABLE = "enc_test_events";
  private static volatile String url;

  private EncryptionTestSupport() {}

  /** A KEK that guards nothing but test data; fixed, because the test database keeps keysets between runs. */
  static String testKek() {
    try (InputStream in = EncryptionTestSupport.class.getResourceAsStream("/test-only-kek.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL of the tests' own database, created on first use, with the stored-events table. */
  static synchronized String pgUrl(Vertx vertx) {
    if (url != null) {
      return url;
    }
    String base = TestServices.pgUrl();
    URI uri = URI.create(base);
    String own = uri.getScheme() + "://" + uri.getRawAuthority() + "/" + DATABASE
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    Pool admin = pool(vertx, base);
    try {
      boolean exists = admin.preparedQuery("SELECT 1 FROM pg_database WHERE datname = $1")
          .execute(Tuple.of(DATABASE)).map(rows -> rows.size() > 0).await(30, TimeUnit.SECONDS);
      if (!exists) {
        admin.query("CREATE DATABASE " + DATABASE).execute()
            .recover(err -> err.getMessage() != null && err.getMessage().contains("already exists")
                ? Future.succeededFuture() : Future.failedFuture(err))
            .await(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the test database " + DATABASE + ": " + e.getMessage(), e);
    } finally {
      admin.close();
    }
    Pool pool = pool(vertx, own);
    try {
      // the migrations create the application role the verticle queries as
      Postgres.migrate(vertx, own, "encryption").await(60, TimeUnit.SECONDS);
      pool.query("CREATE TABLE IF NOT EXISTS " + EVENTS_TABLE + " (tenant_id text NOT NULL, event_id text NOT NULL, "
          + "type text NOT NULL, occurred_at timestamptz NOT NULL, received_at timestamptz NOT NULL DEFAULT now(), "
          + "payload jsonb NOT NULL, PRIMARY KEY (tenant_id, event_id))").execute().await(30, TimeUnit.SECONDS);
      // row-level security as on the store's events table
      pool.query("DO $$ BEGIN "
          + "IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = '" + EVENTS_TABLE + "') THEN "
          + "ALTER TABLE " + EVENTS_TABLE + " ENABLE ROW LEVEL SECURITY; ALTER TABLE " + EVENTS_TABLE + " FORCE ROW LEVEL SECURITY; "
          + "CREATE POLICY tenant_isolation ON " + EVENTS_TABLE + " USING (tenant_id = current_setting('ott.tenant', true)) "
          + "WITH CHECK (tenant_id = current_setting('ott.tenant', true)); "
          + "GRANT SELECT, INSERT, UPDATE, DELETE ON " + EVENTS_TABLE + " TO " + Postgres.APP_ROLE + "; END IF; END $$")
          .execute().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create " + EVENTS_TABLE + ": " + e.getMessage(), e);
    } finally {
      pool.close();
    }
    url = own;
    return own;
  }

  static Pool pool(Vertx vertx, String url) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(url).using(vertx).build();
  }

  /** The whole configuration a verticle gets, with the given KEK settings merged into {@code encryption}. */
  static JsonObject config(Vertx vertx, JsonObject kekSettings) {
    JsonObject encryption = new JsonObject()
        .put("enabled", true).put("kek", "").put("kekFile", "").put("kekUri", "")
        .put("rotationDays", 90).put("rotationCheckMinutes", 60)
        .put("rewrapBatchSize", 100).put("rewrapTable", EVENTS_TABLE)
        .mergeIn(kekSettings);
    return new JsonObject()
        .put("pg", new JsonObject().put("url", pgUrl(vertx)).put("poolSize", 4))
        .put("encryption", encryption);
  }

  static JsonObject config(Vertx vertx) {
    return config(vertx, new JsonObject().put("kek", testKek()));
  }

  static String newTenant() {
    return "enc-test-" + UUID.randomUUID();
  }

  /** A validated schema-v2 playback event with all three personal fields. */
  static JsonObject event(String eventId, String accountId, String deviceId, String ip) {
    return new JsonObject()
        .put("eventId", eventId)
        .put("type", "playback.start")
        .put("occurredAt", "2025-06-01T20:15:00Z")
        .put("accountId", accountId)
        .put("profileId", "kids-1")
        .put("deviceId", deviceId)
        .put("sessionId", "s-" + eventId)
        .put("ip", ip)
        .put("country", "DE")
        .put("contentId", "title-42");
  }

  static JsonObject request(Vertx vertx, String address, JsonObject body) {
    try {
      return vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body()).await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(address + " did not answer", e);
    }
  }

  /** The failure a request ends with; fails the test when it succeeds. */
  static ReplyException failure(Vertx vertx, String address, JsonObject body) {
    try {
      vertx.eventBus().<JsonObject>request(address, body).await(30, TimeUnit.SECONDS);
    } catch (ReplyException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(address + " failed unexpectedly: " + e, e);
    }
    throw new AssertionError(address + " succeeded, a failure was expected");
  }

  /** Stores protected events the way the store does (payload = the protected event). */
  static void store(SqlClient pg, String tenantId, JsonArray protectedEvents) {
    java.util.List<Tuple> rows = new java.util.ArrayList<>();
    for (int i = 0; i < protectedEvents.size(); i++) {
      JsonObject e = protectedEvents.getJsonObject(i);
      rows.add(Tuple.of(tenantId, e.getString("eventId"), e.getString("type"),
          java.time.OffsetDateTime.parse(e.getString("occurredAt")), e));
    }
    try {
      pg.preparedQuery("INSERT INTO " + EVENTS_TABLE + " (tenant_id, event_id, type, occurred_at, payload) "
          + "VALUES ($1, $2, $3, $4, $5)").executeBatch(rows).await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("storing events timed out", e);
    }
  }
}
