package com.ott.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/** PostgreSQL access shared by the modules that own tables: a pool and schema migrations. */
public final class Postgres {
  private Postgres() {}

  public static PgConnectOptions connectOptions(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("PostgreSQL is not configured: set pg.url (OTT_PG_URL), e.g. postgresql://postgres@127.0.0.1:5432/ott");
    }
    String uri = url.startsWith("jdbc:") ? url.substring(5) : url;
    return PgConnectOptions.fromUri(uri).setCachePreparedStatements(true).setPipeliningLimit(64);
  }

  public static Pool pool(Vertx vertx, String url, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName("ott-pg").setShared(true))
        .connectingTo(connectOptions(url))
        .using(vertx)
        .build();
  }

  /**
   * Applies the module's migrations ({@code classpath:db/migration/<module>}) with
   * its own history table, so each module owns and evolves its tables alone.
   * Runs off the event loop: Flyway uses JDBC.
   */
  public static Future<Integer> migrate(Vertx vertx, String url, String module) {
    PgConnectOptions o = connectOptions(url);
    String jdbc = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
    return vertx.executeBlocking(() -> {
      Properties props = new Properties();
      Flyway flyway = Flyway.configure(Postgres.class.getClassLoader())
          .dataSource(jdbc, o.getUser(), o.getPassword() == null ? "" : o.getPassword())
          .locations("classpath:db/migration/" + module)
          .table("flyway_history_" + module)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .configuration(props)
          .load();
      return flyway.migrate().migrationsExecuted;
    }, false);
  }

  /** A readiness check: one round trip. */
  public static Future<?> ping(Pool pool) {
    return pool.query("SELECT 1").execute();
  }
}
