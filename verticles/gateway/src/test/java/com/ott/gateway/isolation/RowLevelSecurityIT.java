package com.ott.gateway.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.runtime.Postgres;
import com.ott.testkit.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Row-level security on real PostgreSQL, after the store, tenancy and encryption migrations: the application role
 * cannot bypass it, and on every tenant table it shows nothing without a tenant, and with tenant A set it neither
 * shows, inserts, changes nor deletes a row of tenant B, whatever the statement asks for.
 */
class RowLevelSecurityIT {
  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  /** One row of tenant $1 per tenant table, inserted as that tenant, in dependency order. */
  private static final Map<String, String> SEED = new LinkedHashMap<>();

  static {
    SEED.put("tenants", "INSERT INTO tenants (tenant_id, name, tier) VALUES ($1, 'rls-' || $1, 'FREE')");
    SEED.put("api_keys", "INSERT INTO api_keys (key_id, tenant_id, key_hash) VALUES ('k-' || $1, $1, 'h-' || $1)");
    SEED.put("tier_changes", "INSERT INTO tier_changes (tenant_id, from_tier, to_tier) VALUES ($1, 'FREE', 'STANDARD')");
    SEED.put("usage_daily", "INSERT INTO usage_daily (tenant_id, day, api_calls) VALUES ($1, current_date, 7)");
    SEED.put("usage_meter_keys", "INSERT INTO usage_meter_keys (tenant_id, idempotency_key, day) VALUES ($1, 'key', current_date)");
    SEED.put("invoices", "INSERT INTO invoices (tenant_id, month, currency, total, invoice) "
        + "VALUES ($1, date_trunc('month', now())::date, 'EUR', 100, '{}')");
    SEED.put("events", "INSERT INTO events (tenant_id, event_id, type, occurred_at, source, payload) "
        + "VALUES ($1, 'e1', 'playback.start', now(), 'test', '{}')");
    SEED.put("alerts", "INSERT INTO alerts (tenant_id, rule_id, severity, dedup_key, first_seen_at, last_seen_at) "
        + "VALUES ($1, 'rule', 'LOW', 'dedup', now(), now())");
    SEED.put("alert_audit", "INSERT INTO alert_audit (alert_id, tenant_id, action, actor, at, status_after) "
        + "SELECT alert_id, $1, 'created', 'test', now(), 'OPEN' FROM alerts WHERE tenant_id = $1");
    // an old rotation time: never the keyset the start-up KEK check of other tests picks
    SEED.put("tenant_keysets", "INSERT INTO tenant_keysets (tenant_id, purpose, wrapped, kek_id, primary_key_id, key_count, "
        + "created_at, rotated_at) VALUES ($1, 'token', '\\x00', 'test', 1, 1, '2000-01-01', '2000-01-01')");
    SEED.put("tenant_keysets_shredded", "INSERT INTO tenant_keysets_shredded (tenant_id, actor) VALUES ($1, 'test')");
    SEED.put("encryption_audit", "INSERT INTO encryption_audit (tenant_id, action, actor, outcome) VALUES ($1, 'test', 'test', 'ok')");
    SEED.put("rewrap_jobs", "INSERT INTO rewrap_jobs (job_id, tenant_id, table_name, status, primary_key_id) "
        + "VALUES ('job-' || $1, $1, 'events', 'DONE', 1)");
  }

  private static Vertx vertx;
  private static Pool app;
  private static Pool owner;
  private static final String A = "rls-a-" + UUID.randomUUID();
  private static final String B = "rls-b-" + UUID.randomUUID();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    String url = TestServices.pgUrl();
    for (String module : List.of("store", "tenancy", "encryption")) {
      Postgres.migrate(vertx, url, module).await(120, TimeUnit.SECONDS);
    }
    // one connection: a tenant left on it by one transaction would show in the next
    app = Postgres.pool(vertx, url, 1);
    owner = Postgres.ownerPool(vertx, url, 1);
    for (String tenant : List.of(A, B)) {
      for (String sql : SEED.values()) {
        await(Postgres.inTenant(app, tenant, conn -> conn.preparedQuery(sql).execute(Tuple.of(tenant))));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      for (String tenant : List.of(A, B)) {
        List<String> tables = new ArrayList<>(SEED.keySet());
        java.util.Collections.reverse(tables);
        for (String table : tables) {
          await(Postgres.inTenant(app, tenant, conn -> conn.preparedQuery("DELETE FROM " + table + " WHERE tenant_id = $1")
              .execute(Tuple.of(tenant))));
        }
      }
    }
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static long count(RowSet<Row> rows) {
    return rows.iterator().next().getLong(0);
  }

  @Test
  void the_application_role_is_no_superuser_has_no_bypassrls_and_owns_no_table() throws Exception {
    Row role = await(app.query("SELECT current_user, r.rolsuper, r.rolbypassrls, "
        + "(SELECT count(*) FROM pg_tables t WHERE t.tableowner = current_user) AS owned "
        + "FROM pg_roles r WHERE r.rolname = current_user").execute()).iterator().next();
    assertThat(role.getString(0)).isEqualTo(Postgres.APP_ROLE);
    assertThat(role.getBoolean("rolsuper")).isFalse();
    assertThat(role.getBoolean("rolbypassrls")).isFalse();
    assertThat(role.getLong("owned")).isZero();
    await(Postgres.verifyAppRole(app));
    // the start-up check refuses a role that bypasses the policies (here the owner of the test URL, a superuser)
    assertThatThrownBy(() -> await(Postgres.verifyAppRole(owner))).hasMessageContaining("bypasses row-level security");
    // nor can it become the directory role whose functions see every tenant's ids
    assertThatThrownBy(() -> await(app.query("SET ROLE ott_directory").execute()))
        .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.getSqlState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
  }

  @Test
  void every_table_with_a_tenant_column_has_forced_row_level_security_and_is_tested_here() throws Exception {
    RowSet<Row> rows = await(owner.query("""
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
               (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'tenant_isolation') AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
        """).execute());
    TreeSet<String> tenantTables = new TreeSet<>();
    for (Row r : rows) {
      String table = r.getString("relname");
      tenantTables.add(table);
      assertThat(r.getBoolean("relrowsecurity")).as(table + ": ROW LEVEL SECURITY").isTrue();
      assertThat(r.getBoolean("relforcerowsecurity")).as(table + ": FORCE ROW LEVEL SECURITY").isTrue();
      assertThat(r.getLong("policies")).as(table + ": tenant_isolation policy").isEqualTo(1);
    }
    assertThat(tenantTables).containsAll(SEED.keySet());
    assertThat(SEED.keySet()).as("every tenant table is covered by the tests below").containsAll(tenantTables);
  }

  @Test
  void without_a_tenant_every_tenant_table_looks_empty() throws Exception {
    for (String table : SEED.keySet()) {
      assertThat(count(await(app.query("SELECT count(*) FROM " + table).execute()))).as(table).isZero();
      assertThat(count(await(app.withTransaction(conn -> conn.preparedQuery("SELECT count(*) FROM " + table
          + " WHERE tenant_id = $1").execute(Tuple.of(B)))))).as(table + " in a transaction").isZero();
    }
    // the tenant of a transaction ends with it: the same (only) connection afterwards sees nothing
    assertThat(count(await(Postgres.inTenant(app, A, conn -> conn.query("SELECT count(*) FROM events").execute())))).isEqualTo(1);
    assertThat(count(await(app.query("SELECT count(*) FROM events").execute()))).isZero();
  }

  @Test
  void no_tenant_no_transaction_and_a_failed_one_leaves_no_tenant_behind() throws Exception {
    assertThatThrownBy(() -> await(Postgres.inTenant(app, " ", conn -> conn.query("SELECT 1").execute())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> await(Postgres.inTenant(app, A, conn -> conn.query("SELECT count(*) FROM events").execute()
        .compose(x -> conn.query("SELECT 1 / 0").execute())))).isInstanceOf(PgException.class);
    assertThat(count(await(app.query("SELECT count(*) FROM events").execute()))).isZero();
    assertThat(await(app.query("SELECT coalesce(current_setting('ott.tenant', true), '')").execute()).iterator().next()
        .getString(0)).isEmpty();
  }

  @Test
  void with_tenant_a_set_no_row_of_b_is_visible() throws Exception {
    for (String table : SEED.keySet()) {
      RowSet<Row> seen = await(Postgres.inTenant(app, A, conn -> conn.query("SELECT DISTINCT tenant_id FROM " + table).execute()));
      List<String> tenants = new ArrayList<>();
      seen.forEach(r -> tenants.add(r.getString(0)));
      assertThat(tenants).as(table).containsExactly(A);
      assertThat(count(await(Postgres.inTenant(app, A, conn -> conn.preparedQuery("SELECT count(*) FROM " + table
          + " WHERE tenant_id = $1").execute(Tuple.of(B)))))).as(table).isZero();
    }
  }

  @Test
  void with_tenant_a_set_no_row_of_b_can_be_inserted() throws Exception {
    for (String table : SEED.keySet()) {
      // a copy of A's row relabelled as B's: refused by the policy before any key could clash
      String copy = "INSERT INTO " + table + " OVERRIDING SYSTEM VALUE SELECT (jsonb_populate_record(NULL::" + table
          + ", to_jsonb(x) || jsonb_build_object('tenant_id', $2::text))).* FROM " + table + " x WHERE x.tenant_id = $1";
      assertThatThrownBy(() -> await(Postgres.inTenant(app, A, conn -> conn.preparedQuery(copy).execute(Tuple.of(A, B)))))
          .as(table)
          .isInstanceOfSatisfying(PgException.class, e -> {
            assertThat(e.getSqlState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
            assertThat(e.getMessage()).contains("row-level security");
          });
    }
  }

  @Test
  void with_tenant_a_set_no_row_of_b_can_be_changed_or_deleted_and_no_row_of_a_given_to_b() throws Exception {
    for (String table : SEED.keySet()) {
      assertThat(await(Postgres.inTenant(app, A, conn -> conn.preparedQuery("UPDATE " + table + " SET tenant_id = tenant_id "
          + "WHERE tenant_id = $1").execute(Tuple.of(B)))).rowCount()).as(table + " update").isZero();
      assertThat(await(Postgres.inTenant(app, A, conn -> conn.preparedQuery("DELETE FROM " + table + " WHERE tenant_id = $1")
          .execute(Tuple.of(B)))).rowCount()).as(table + " delete").isZero();
      assertThat(await(Postgres.inTenant(app, A, conn -> conn.query("DELETE FROM " + table + " WHERE tenant_id <> current_setting('ott.tenant')")
          .execute())).rowCount()).as(table + " delete of the others").isZero();
      assertThatThrownBy(() -> await(Postgres.inTenant(app, A, conn -> conn.preparedQuery("UPDATE " + table + " SET tenant_id = $2 "
          + "WHERE tenant_id = $1").execute(Tuple.of(A, B)))))
          .as(table + " moved to B")
          .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.getSqlState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
    }
    // B's rows are all still there, as B sees them
    for (String table : SEED.keySet()) {
      assertThat(count(await(Postgres.inTenant(app, B, conn -> conn.query("SELECT count(*) FROM " + table).execute()))))
          .as(table).isEqualTo(1);
    }
  }

  @Test
  void the_directory_functions_answer_ids_only() throws Exception {
    Row key = await(app.preparedQuery("SELECT * FROM ott_api_key_owner($1)").execute(Tuple.of("h-" + B))).iterator().next();
    assertThat(key.size()).isEqualTo(2);
    assertThat(key.getString("tenant_id")).isEqualTo(B);
    assertThat(await(app.preparedQuery("SELECT ott_tenant_named($1)").execute(Tuple.of("rls-" + B))).iterator().next().getString(0))
        .isEqualTo(B);
    assertThat(await(app.preparedQuery("SELECT ott_rewrap_job_tenant($1)").execute(Tuple.of("job-" + A))).iterator().next().getString(0))
        .isEqualTo(A);
    // the directory role reads only the columns its functions need, and the application role cannot call others
    assertThatThrownBy(() -> await(owner.query("SET ROLE ott_directory; SELECT tier FROM tenants").execute()))
        .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.getSqlState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
    await(owner.query("RESET ROLE").execute());
  }
}
