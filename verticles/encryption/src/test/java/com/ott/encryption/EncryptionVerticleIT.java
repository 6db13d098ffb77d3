package com.ott.encryption;

import static com.ott.encryption.EncryptionTestSupport.EVENTS_TABLE;
import static com.ott.encryption.EncryptionTestSupport.event;
import static com.ott.encryption.EncryptionTestSupport.failure;
import static com.ott.encryption.EncryptionTestSupport.newTenant;
import static com.ott.encryption.EncryptionTestSupport.request;
import static com.ott.encryption.EncryptionTestSupport.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.daead.AesSivKey;
import com.ott.contract.EncryptionAddresses;
import com.ott.contract.Failures;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The encryption verticle on the event bus, against real PostgreSQL and real Tink. */
@ExtendWith(VertxExtension.class)
class EncryptionVerticleIT {
  private static Vertx vertx;
  private static Pool pg;
  private static KeyEncryptionKey kek;

  @BeforeAll
  static void deploy(Vertx v) throws Exception {
    vertx = v;
    JsonObject config = EncryptionTestSupport.config(vertx);
    pg = EncryptionTestSupport.pool(vertx, config.getJsonObject("pg").getString("url"));
    kek = KeyEncryptionKey.fromKeysetJson(EncryptionTestSupport.testKek(), "test KEK");
    vertx.deployVerticle(new EncryptionVerticle(), new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void a_batch_is_protected_and_an_authorised_caller_reads_it_back_with_an_audit_row() throws Exception {
    String tenant = newTenant();
    JsonArray clear = new JsonArray()
        .add(event("e1", "acct-1", "dev-1", "203.0.113.57"))
        .add(event("e2", "acct-2", "dev-2", "2001:db8:1:2::3"))
        .add(new JsonObject().put("eventId", "e3").put("type", "playback.heartbeat").put("sessionId", "s3")
            .put("occurredAt", "2025-06-01T20:15:30Z"));

    JsonArray protectedEvents = protect(tenant, clear);
    assertThat(protectedEvents.size()).isEqualTo(3);
    assertThat(protectedEvents.encode()).doesNotContain("acct-1", "dev-2", "203.0.113.57", "2001:db8");
    assertThat(protectedEvents.getJsonObject(0).getString("accountId")).startsWith("tk_");
    assertThat(protectedEvents.getJsonObject(2)).isEqualTo(clear.getJsonObject(2));

    JsonObject read = request(vertx, EncryptionAddresses.UNPROTECT, new JsonObject().put("tenantId", tenant)
        .put("actor", "admin:kim").put("reason", "GDPR access request #42").put("events", protectedEvents));
    assertThat(read.getJsonArray("events")).isEqualTo(clear);

    RowSet<Row> audit = pg.preparedQuery("SELECT * FROM encryption_audit WHERE tenant_id = $1 AND action = 'unprotect'")
        .execute(Tuple.of(tenant)).await(10, TimeUnit.SECONDS);
    assertThat(audit.size()).isEqualTo(1);
    Row row = audit.iterator().next();
    assertThat(row.getString("actor")).isEqualTo("admin:kim");
    assertThat(row.getString("reason")).isEqualTo("GDPR access request #42");
    assertThat(row.getInteger("items")).isEqualTo(3);
    assertThat(row.getArrayOfStrings("event_ids")).containsExactly("e1", "e2", "e3");
    assertThat(row.getString("outcome")).isEqualTo("ok");
    assertThat(row.getOffsetDateTime("at")).isNotNull();
  }

  @Test
  void tokens_are_stable_within_a_tenant_across_batches_and_differ_across_tenants() {
    String tenant = newTenant();
    String other = newTenant();
    JsonObject first = protect(tenant, new JsonArray().add(event("e1", "acct-1", "dev-1", "203.0.113.57"))).getJsonObject(0);
    JsonObject later = protect(tenant, new JsonArray().add(event("e2", "acct-1", "dev-1", "203.0.113.99"))).getJsonObject(0);
    JsonObject elsewhere = protect(other, new JsonArray().add(event("e1", "acct-1", "dev-1", "203.0.113.57"))).getJsonObject(0);

    assertThat(later.getString("accountId")).isEqualTo(first.getString("accountId"));
    assertThat(later.getString("deviceId")).isEqualTo(first.getString("deviceId"));
    assertThat(later.getString("ipNet")).isEqualTo(first.getString("ipNet"));
    assertThat(elsewhere.getString("accountId")).isNotEqualTo(first.getString("accountId"));
    assertThat(elsewhere.getString("deviceId")).isNotEqualTo(first.getString("deviceId"));

    JsonObject tokens = request(vertx, EncryptionAddresses.TOKENIZE, new JsonObject().put("tenantId", tenant)
        .put("field", "accountId").put("values", new JsonArray().add("acct-1").add("acct-unknown")));
    assertThat(tokens.getJsonArray("tokens").getString(0)).as("reference data joins events").isEqualTo(first.getString("accountId"));
  }

  @Test
  void an_alert_subject_token_is_revealed_to_an_authorised_caller_and_audited() throws Exception {
    String tenant = newTenant();
    String token = protect(tenant, new JsonArray().add(event("e1", "acct-7", "dev-7", "198.51.100.7")))
        .getJsonObject(0).getString("accountId");

    JsonObject values = request(vertx, EncryptionAddresses.UNPROTECT_TOKENS, new JsonObject().put("tenantId", tenant)
        .put("actor", "analyst:lee").put("reason", "alert a-1 review")
        .put("tokens", new JsonArray().add(new JsonObject().put("field", "accountId").put("token", token))));
    assertThat(values.getJsonArray("values").getJsonObject(0).getString("value")).isEqualTo("acct-7");

    ReplyException wrongTenant = failure(vertx, EncryptionAddresses.UNPROTECT_TOKENS, new JsonObject()
        .put("tenantId", protectOne(newTenant())).put("actor", "analyst:lee").put("reason", "probe")
        .put("tokens", new JsonArray().add(new JsonObject().put("field", "accountId").put("token", token))));
    assertThat(wrongTenant.failureCode()).isEqualTo(422);
    assertThat(wrongTenant.getMessage()).contains("not this tenant's token for accountId");

    RowSet<Row> audit = pg.preparedQuery("SELECT actor, items, outcome FROM encryption_audit WHERE tenant_id = $1 "
        + "AND action = 'unprotect-tokens'").execute(Tuple.of(tenant)).await(10, TimeUnit.SECONDS);
    assertThat(audit.size()).isEqualTo(1);
    assertThat(audit.iterator().next().getInteger("items")).isEqualTo(1);
  }

  @Test
  void rotation_keeps_old_ciphertexts_readable_and_tokens_unchanged() {
    String tenant = newTenant();
    JsonObject before = protect(tenant, new JsonArray().add(event("e1", "acct-1", "dev-1", "203.0.113.57"))).getJsonObject(0);
    long oldPrimary = keyIdOfSealed(before);

    JsonObject rotated = request(vertx, EncryptionAddresses.ROTATE, new JsonObject().put("tenantId", tenant).put("actor", "admin:kim"));
    assertThat(rotated.getString("tenantId")).isEqualTo(tenant);
    assertThat(rotated.getLong("primaryKeyId")).isNotEqualTo(oldPrimary);
    assertThat(rotated.getString("rotatedAt")).isNotBlank();

    JsonObject after = protect(tenant, new JsonArray().add(event("e2", "acct-1", "dev-1", "203.0.113.57"))).getJsonObject(0);
    assertThat(keyIdOfSealed(after)).isEqualTo(rotated.getLong("primaryKeyId"));
    for (String field : List.of("accountId", "deviceId", "ip", "ipNet")) {
      assertThat(after.getString(field)).as(field).isEqualTo(before.getString(field));
    }
    JsonArray read = unprotect(tenant, new JsonArray().add(before).add(after));
    assertThat(read.getJsonObject(0).getString("accountId")).isEqualTo("acct-1");
    assertThat(read.getJsonObject(1).getString("accountId")).isEqualTo("acct-1");
  }

  @Test
  void the_timer_rotates_only_keys_past_the_rotation_age_once() throws Exception {
    TenantKeyring keyring = new TenantKeyring(vertx, pg, kek);
    KeyRotation rotation = new KeyRotation(keyring, new EncryptionAudit(pg), Duration.ofDays(90));
    String old = newTenant();
    String fresh = newTenant();
    TenantKeys oldKeys = keyring.keys(old).await(30, TimeUnit.SECONDS);
    keyring.keys(fresh).await(30, TimeUnit.SECONDS);
    pg.preparedQuery("UPDATE tenant_keysets SET rotated_at = now() - interval '91 days' WHERE tenant_id = $1 AND purpose = 'aead'")
        .execute(Tuple.of(old)).await(10, TimeUnit.SECONDS);

    List<String> rotated = rotation.rotateDue().await(60, TimeUnit.SECONDS).stream().map(TenantKeyring.Rotation::tenantId).toList();
    assertThat(rotated).contains(old).doesNotContain(fresh);
    assertThat(rotation.rotateDue().await(60, TimeUnit.SECONDS).stream().map(TenantKeyring.Rotation::tenantId).toList())
        .doesNotContain(old);

    TenantKeys newKeys = keyring.keys(old).await(30, TimeUnit.SECONDS);
    assertThat(newKeys.primaryKeyId()).isNotEqualTo(oldKeys.primaryKeyId());
    assertThat(new EventProtector(newKeys).token("accountId", "acct-1"))
        .isEqualTo(new EventProtector(oldKeys).token("accountId", "acct-1"));
    RowSet<Row> audit = pg.preparedQuery("SELECT actor FROM encryption_audit WHERE tenant_id = $1 AND action = 'rotate'")
        .execute(Tuple.of(old)).await(10, TimeUnit.SECONDS);
    assertThat(audit.iterator().next().getString("actor")).isEqualTo(KeyRotation.ACTOR);
  }

  @Test
  void a_tampered_or_foreign_ciphertext_is_refused_with_a_clear_error_and_the_attempt_audited() throws Exception {
    String tenant = newTenant();
    JsonObject mine = protect(tenant, new JsonArray().add(event("e1", "acct-1", "dev-1", "203.0.113.57"))).getJsonObject(0);
    JsonObject tampered = mine.copy();
    byte[] ct = Base64.getDecoder().decode(tampered.getString("sealed"));
    ct[10] ^= 0x40;
    tampered.put("sealed", Base64.getEncoder().encodeToString(ct));

    ReplyException refused = failure(vertx, EncryptionAddresses.UNPROTECT, unprotectRequest(tenant, new JsonArray().add(tampered)));
    assertThat(refused.failureCode()).isEqualTo(EncryptionAddresses.UNDECRYPTABLE);
    assertThat(refused.getMessage()).contains("event e1: sealed does not decrypt with this tenant's keys");

    JsonObject foreign = protect(newTenant(), new JsonArray().add(event("e1", "acct-1", "dev-1", "203.0.113.57"))).getJsonObject(0);
    ReplyException crossTenant = failure(vertx, EncryptionAddresses.UNPROTECT, unprotectRequest(tenant, new JsonArray().add(foreign)));
    assertThat(crossTenant.failureCode()).isEqualTo(422);

    RowSet<Row> audit = pg.preparedQuery("SELECT outcome FROM encryption_audit WHERE tenant_id = $1 AND action = 'unprotect' ORDER BY id")
        .execute(Tuple.of(tenant)).await(10, TimeUnit.SECONDS);
    List<String> outcomes = new ArrayList<>();
    audit.forEach(r -> outcomes.add(r.getString("outcome")));
    assertThat(outcomes).containsExactly("refused 422", "refused 422");
  }

  @Test
  void requests_without_who_and_why_or_for_an_unknown_tenant_are_refused() {
    String tenant = newTenant();
    JsonArray events = protect(tenant, new JsonArray().add(event("e1", "acct-1", "dev-1", "203.0.113.57")));
    assertThat(failure(vertx, EncryptionAddresses.UNPROTECT, new JsonObject().put("tenantId", tenant).put("reason", "x")
        .put("events", events)).failureCode()).isEqualTo(Failures.BAD_REQUEST);
    assertThat(failure(vertx, EncryptionAddresses.UNPROTECT, new JsonObject().put("tenantId", tenant).put("actor", "x")
        .put("events", events)).failureCode()).isEqualTo(Failures.BAD_REQUEST);
    assertThat(failure(vertx, EncryptionAddresses.PROTECT, new JsonObject().put("events", new JsonArray()))
        .failureCode()).isEqualTo(Failures.BAD_REQUEST);
    assertThat(failure(vertx, EncryptionAddresses.PROTECT, new JsonObject().put("tenantId", tenant).put("events", new JsonArray().add(1)))
        .getMessage()).contains("events[0]: not an object");
    ReplyException unknown = failure(vertx, EncryptionAddresses.UNPROTECT, unprotectRequest(newTenant(), events));
    assertThat(unknown.failureCode()).isEqualTo(EncryptionAddresses.NO_KEYS);
    assertThat(unknown.getMessage()).contains("has no encryption keys");
  }

  @Test
  void without_tenancy_to_say_which_fields_a_tenant_marks_personal_nothing_is_protected_or_passed_in_clear() {
    ReplyException unknown = failure(vertx, EncryptionAddresses.PROTECT, new JsonObject().put("tenantId", newTenant())
        .put("events", new JsonArray().add(event("e1", "acct-1", "dev-1", "203.0.113.57"))));
    assertThat(unknown.failureCode()).isEqualTo(Failures.UNAVAILABLE);
    assertThat(unknown.getMessage()).contains("marks personal could not be read").contains("nothing was stored");
    assertThat(failure(vertx, EncryptionAddresses.PROTECT, new JsonObject().put("tenantId", newTenant())
        .put("events", new JsonArray()).put("personalFields", new JsonArray().add("eventId"))).getMessage())
        .contains("eventId cannot be personal");
  }

  @Test
  void shredding_a_tenant_makes_its_stored_personal_fields_unreadable_for_good() throws Exception {
    String tenant = newTenant();
    // neighbours whose keys stay, to try on the shredded tenant's data
    protectOne(newTenant());
    protectOne(newTenant());
    JsonArray clear = new JsonArray();
    for (int i = 0; i < 5; i++) {
      clear.add(event("e" + i, "acct-" + i, "dev-" + i, "203.0.113." + i));
    }
    store(pg, tenant, protect(tenant, clear));
    JsonArray stored = storedPayloads(tenant);
    assertThat(unprotect(tenant, stored)).as("readable before").isEqualTo(clear);

    JsonObject shred = request(vertx, EncryptionAddresses.SHRED, new JsonObject().put("tenantId", tenant).put("actor", "admin:kim"));
    assertThat(shred).isEqualTo(new JsonObject().put("tenantId", tenant).put("shredded", true));

    assertThat(count("SELECT count(*) FROM tenant_keysets WHERE tenant_id = $1", tenant)).as("keyset rows").isZero();
    assertThat(count("SELECT count(*) FROM " + EVENTS_TABLE + " WHERE tenant_id = $1", tenant)).as("event rows stay").isEqualTo(5);
    JsonArray after = storedPayloads(tenant);
    assertThat(after.encode()).doesNotContain("acct-", "dev-", "203.0.113.");

    ReplyException gone = failure(vertx, EncryptionAddresses.UNPROTECT, unprotectRequest(tenant, after));
    assertThat(gone.failureCode()).isEqualTo(EncryptionAddresses.TENANT_SHREDDED);
    assertThat(gone.getMessage()).contains("was deleted and its encryption keys destroyed");
    assertThat(failure(vertx, EncryptionAddresses.PROTECT, new JsonObject().put("tenantId", tenant).put("events", clear.copy())
        .put("personalFields", new JsonArray())).failureCode()).as("no new keys for a shredded tenant").isEqualTo(410);

    // a fresh keyring (no cache, as after a restart) finds nothing to decrypt with either
    TenantKeyring fresh = new TenantKeyring(vertx, pg, kek);
    assertThatThrownBy(() -> fresh.existingKeys(tenant).await(30, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(Failures.Rejection.class, r -> assertThat(r.status()).isEqualTo(410));
    assertThatThrownBy(() -> fresh.keys(tenant).await(30, TimeUnit.SECONDS)).isInstanceOf(Failures.Rejection.class);

    // and no keyset left in the database opens any of the stored ciphertexts (bound to this tenant and event)
    RowSet<Row> keysets = pg.query("SELECT tenant_id, wrapped FROM tenant_keysets WHERE purpose = 'aead' "
        + "ORDER BY rotated_at DESC LIMIT 300").execute().await(30, TimeUnit.SECONDS);
    assertThat(keysets.size()).isPositive();
    TenantKeys tokenKeys = TenantKeys.generate(tenant);
    int tried = 0;
    for (Row k : keysets) {
      Aead aead = TinkProtoKeysetFormat.parseEncryptedKeyset(k.getBuffer("wrapped").getBytes(), kek.aead(),
              TenantKeyring.keysetAssociatedData(k.getString("tenant_id"), "aead"))
          .getPrimitive(RegistryConfiguration.get(), Aead.class);
      EventProtector someKeys = new EventProtector(new TenantKeys(tenant, aead, tokenKeys.tokens(), 0, null));
      for (int i = 0; i < after.size(); i++) {
        JsonObject row = after.getJsonObject(i);
        JsonObject one = new JsonObject().put("eventId", row.getString("eventId")).put("sealed", row.getString("sealed"));
        assertThatThrownBy(() -> someKeys.unprotect(one)).isInstanceOf(Failures.Rejection.class);
        tried++;
      }
    }
    assertThat(tried).isPositive();
    assertThat(count("SELECT count(*) FROM encryption_audit WHERE tenant_id = $1 AND action = 'shred'", tenant)).isEqualTo(1);
  }

  @Test
  void the_rewrap_job_moves_stored_data_to_the_newest_key_in_batches_and_reports_progress() throws Exception {
    String tenant = newTenant();
    JsonArray clear = new JsonArray();
    for (int i = 0; i < 250; i++) {
      clear.add(event(String.format("e%04d", i), "acct-" + (i % 17), "dev-" + i, "203.0.113." + (i % 250)));
    }
    store(pg, tenant, protect(tenant, clear));
    long newPrimary = request(vertx, EncryptionAddresses.ROTATE, new JsonObject().put("tenantId", tenant)).getLong("primaryKeyId");
    store(pg, tenant, protect(tenant, new JsonArray().add(event("e9999", "acct-1", "dev-x", "203.0.113.1"))));
    JsonArray before = storedPayloads(tenant);

    JsonObject progress = request(vertx, EncryptionAddresses.REWRAP, new JsonObject().put("tenantId", tenant)
        .put("table", EVENTS_TABLE).put("await", true));
    assertThat(progress.getString("status")).isEqualTo("DONE");
    assertThat(progress.getLong("scanned")).isEqualTo(251);
    assertThat(progress.getLong("rewrapped")).isEqualTo(250);
    assertThat(progress.getLong("upToDate")).isEqualTo(1);
    assertThat(progress.getLong("failed")).isZero();
    assertThat(progress.getLong("primaryKeyId")).isEqualTo(newPrimary);
    assertThat(request(vertx, EncryptionAddresses.REWRAP_STATUS, new JsonObject().put("jobId", progress.getString("jobId")))
        .getLong("rewrapped")).isEqualTo(250);

    JsonArray after = storedPayloads(tenant);
    Set<Long> keyIds = new HashSet<>();
    for (int i = 0; i < after.size(); i++) {
      JsonObject e = after.getJsonObject(i);
      keyIds.add(keyIdOfSealed(e));
      for (String field : List.of("accountId", "deviceId", "ip", "ipNet")) {
        assertThat(e.getString(field)).as("token unchanged").isEqualTo(before.getJsonObject(i).getString(field));
      }
    }
    assertThat(keyIds).containsExactly(newPrimary);
    JsonArray read = unprotect(tenant, new JsonArray(after.getList().subList(0, 250)));
    assertThat(read).isEqualTo(clear);

    JsonObject again = request(vertx, EncryptionAddresses.REWRAP, new JsonObject().put("tenantId", tenant)
        .put("table", EVENTS_TABLE).put("await", true));
    assertThat(again.getLong("rewrapped")).isZero();
    assertThat(again.getLong("upToDate")).isEqualTo(251);
    assertThat(failure(vertx, EncryptionAddresses.REWRAP, new JsonObject().put("tenantId", tenant)
        .put("table", "events; DROP TABLE x")).failureCode()).isEqualTo(400);
  }

  @Test
  void keysets_are_stored_only_wrapped_by_the_kek_and_bound_to_their_tenant() throws Exception {
    String tenant = newTenant();
    protectOne(tenant);
    RowSet<Row> rows = pg.preparedQuery("SELECT purpose, wrapped, kek_id FROM tenant_keysets WHERE tenant_id = $1")
        .execute(Tuple.of(tenant)).await(10, TimeUnit.SECONDS);
    assertThat(rows.size()).isEqualTo(2);
    for (Row row : rows) {
      byte[] stored = row.getBuffer("wrapped").getBytes();
      String purpose = row.getString("purpose");
      assertThat(row.getString("kek_id")).isEqualTo(kek.id());
      assertThatThrownBy(() -> TinkProtoKeysetFormat.parseKeyset(stored, InsecureSecretKeyAccess.get()))
          .as("not a cleartext keyset").isInstanceOf(GeneralSecurityException.class);

      KeysetHandle handle = TinkProtoKeysetFormat.parseEncryptedKeyset(stored, kek.aead(),
          TenantKeyring.keysetAssociatedData(tenant, purpose));
      byte[] keyMaterial = "aead".equals(purpose)
          ? ((AesGcmKey) handle.getPrimary().getKey()).getKeyBytes().toByteArray(InsecureSecretKeyAccess.get())
          : ((AesSivKey) handle.getPrimary().getKey()).getKeyBytes().toByteArray(InsecureSecretKeyAccess.get());
      assertThat(indexOf(stored, keyMaterial)).as("raw key bytes absent").isNegative();
      assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotContain(Base64.getEncoder().encodeToString(keyMaterial));

      assertThatThrownBy(() -> TinkProtoKeysetFormat.parseEncryptedKeyset(stored, kek.aead(),
          TenantKeyring.keysetAssociatedData(newTenant(), purpose)))
          .as("a keyset row copied to another tenant does not unwrap").isInstanceOf(GeneralSecurityException.class);
    }
  }

  private static String protectOne(String tenant) {
    protect(tenant, new JsonArray().add(event("e0", "acct-0", "dev-0", "192.0.2.1")));
    return tenant;
  }

  private static JsonArray protect(String tenant, JsonArray events) {
    // the default personal fields named explicitly: this suite runs no tenancy to ask for the tenant's own
    return request(vertx, EncryptionAddresses.PROTECT, new JsonObject().put("tenantId", tenant).put("events", events.copy())
            .put("personalFields", new JsonArray()))
        .getJsonArray("events");
  }

  private static JsonArray unprotect(String tenant, JsonArray events) {
    return request(vertx, EncryptionAddresses.UNPROTECT, unprotectRequest(tenant, events)).getJsonArray("events");
  }

  private static JsonObject unprotectRequest(String tenant, JsonArray events) {
    return new JsonObject().put("tenantId", tenant).put("actor", "test").put("reason", "test").put("events", events);
  }

  private static JsonArray storedPayloads(String tenant) throws Exception {
    RowSet<Row> rows = pg.preparedQuery("SELECT payload FROM " + EVENTS_TABLE + " WHERE tenant_id = $1 ORDER BY event_id")
        .execute(Tuple.of(tenant)).await(30, TimeUnit.SECONDS);
    JsonArray out = new JsonArray();
    rows.forEach(r -> out.add(r.getJsonObject("payload")));
    return out;
  }

  private static long count(String sql, String tenant) throws Exception {
    return pg.preparedQuery(sql).execute(Tuple.of(tenant)).await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  private static long keyIdOfSealed(JsonObject protectedEvent) {
    return EventProtector.keyIdOf(Base64.getDecoder().decode(protectedEvent.getString("sealed")));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
