package com.ott.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Properties;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * PostgreSQL access shared by the modules that own tables: schema migrations (as the owner of {@code pg.url}),
 * the pool the verticles query with (as the application role {@code pg.appUser}, subject to row-level security)
 * and {@link #inTenant}, the only way into tenant rows.
 */
public final class Postgres {
  /** The application role the migrations create: not a superuser, not the tables' owner, no BYPASSRLS. */
  public static final String APP_ROLE = "ott_app";
  /** The setting the row-level security policies compare each row's tenant with. */
  public static final String TENANT_SETTING = "ott.tenant";

  private static final String SET_TENANT = "SELECT set_config('" + TENANT_SETTING + "', $1, true)";

  private Postgres() {}

  public static PgConnectOptions connectOptions(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("PostgreSQL is not configured: set pg.url (OTT_PG_URL), e.g. postgresql://postgres@127.0.0.1:5432/ott");
    }
    String uri = url.startsWith("jdbc:") ? url.substring(5) : url;
    return PgConnectOptions.fromUri(uri).setCachePreparedStatements(true).setPipeliningLimit(64);
  }

  /**
   * The connection of the application role: host and database of {@code pg.url}, user {@code pg.appUser}
   * (default {@value #APP_ROLE}) with {@code pg.appPassword} (empty = none, for trust or peer authentication).
   */
  public static PgConnectOptions appConnectOptions(JsonObject pg) {
    PgConnectOptions o = connectOptions(pg.getString("url"));
    String user = pg.getString("appUser", APP_ROLE);
    String password = pg.getString("appPassword", "");
    o.setUser(user == null || user.isBlank() ? APP_ROLE : user);
    o.setPassword(password == null ? "" : password);
    return o;
  }

  /**
   * The pool the verticles query with: it connects as the application role, never as the owner, so the
   * row-level security policies apply to every statement (see {@link #inTenant}).
   */
  public static Pool pool(Vertx vertx, JsonObject pg, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName("ott-pg-app").setShared(true))
        .connectingTo(appConnectOptions(pg))
        .using(vertx)
        .build();
  }

  /** {@link #pool(Vertx, JsonObject, int)} with the default application role {@value #APP_ROLE} and no password. */
  public static Pool pool(Vertx vertx, String url, int size) {
    return pool(vertx, new JsonObject().put("url", url), size);
  }

  /**
   * A pool connecting as the user of {@code url}, the tables' owner: for tools that need the owner (ANALYZE) and
   * tests. FORCE ROW LEVEL SECURITY holds the owner to the policies too, unless it is a superuser.
   */
  public static Pool ownerPool(Vertx vertx, String url, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName("ott-pg-owner").setShared(true))
        .connectingTo(connectOptions(url))
        .using(vertx)
        .build();
  }

  /**
   * Runs {@code work} in one transaction in which the tenant is {@code tenantId}: the first statement sets
   * {@value #TENANT_SETTING} for this transaction only ({@code set_config(..., true)}, i.e. {@code SET LOCAL}), so
   * a pooled connection never carries a tenant into the next transaction, and the policies show, accept,
   * change and delete only that tenant's rows, whatever a query forgets in its WHERE clause.
   */
  public static <T> Future<T> inTenant(Pool pool, String tenantId, Function<SqlConnection, Future<T>> work) {
    return inTenant(pool, tenantId, null, work);
  }

  /**
   * {@link #inTenant(Pool, String, Function)} with a transaction mode set first (e.g. {@code "ISOLATION LEVEL
   * REPEATABLE READ, READ ONLY"}, a constant of the caller, never input).
   */
  public static <T> Future<T> inTenant(Pool pool, String tenantId, String transactionMode,
                                       Function<SqlConnection, Future<T>> work) {
    if (tenantId == null || tenantId.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("a tenant is required to reach tenant rows"));
    }
    return pool.withTransaction(conn -> {
      // sent back to back on the one connection, which runs them in order: the tenant is set before the work's
      // first statement without waiting a round trip for it; should setting it fail, the work fails with it
      Future<?> mode = transactionMode == null ? Future.succeededFuture() : conn.query("SET TRANSACTION " + transactionMode).execute();
      Future<?> tenant = conn.preparedQuery(SET_TENANT).execute(Tuple.of(tenantId));
      Future<T> result;
      try {
        result = work.apply(conn);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      Future<T> done = result;
      // the transaction ends only once the work is over, whatever failed first
      return Future.join(mode, tenant, done).transform(x -> mode.failed() ? Future.<T>failedFuture(mode.cause())
          : tenant.failed() ? Future.<T>failedFuture(tenant.cause()) : done);
    });
  }

  /**
   * Applies the module's migrations ({@code classpath:db/migration/<module>}) with
   * its own history table, so each module owns and evolves its tables alone.
   * Runs off the event loop: Flyway uses JDBC. Runs as the user of {@code url}, the tables' owner.
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

  /**
   * Start-up check of the pool's role: refuses one that row-level security would not apply to (a superuser,
   * BYPASSRLS, or the owner of a table), so a misconfigured {@code pg.appUser} cannot silently see every tenant.
   */
  public static Future<Void> verifyAppRole(Pool pool) {
    return pool.query("""
            SELECT r.rolname, r.rolsuper, r.rolbypassrls,
                   EXISTS (SELECT 1 FROM pg_tables t WHERE t.tableowner = current_user) AS owner
            FROM pg_roles r WHERE r.rolname = current_user""").execute()
        .compose(rows -> {
          var r = rows.iterator().next();
          if (r.getBoolean("rolsuper") || r.getBoolean("rolbypassrls") || r.getBoolean("owner")) {
            return Future.failedFuture(new IllegalStateException("PostgreSQL role " + r.getString("rolname")
                + " (pg.appUser) bypasses row-level security (superuser, BYPASSRLS or a table owner): configure the"
                + " application role " + APP_ROLE + " the migrations create"));
          }
          return Future.<Void>succeededFuture();
        });
  }

  /** A readiness check: one round trip. */
  public static Future<?> ping(Pool pool) {
    return pool.query("SELECT 1").execute();
  }
}
