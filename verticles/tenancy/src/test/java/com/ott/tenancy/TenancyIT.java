package com.ott.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.contract.Addresses;
import com.ott.contract.ApiKeyHash;
import com.ott.contract.TenancyAddresses;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.testkit.TestEnvironment;
import com.ott.testkit.TestServices;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tenants and API keys over the bus, on real PostgreSQL. */
class TenancyIT {
  private static OttProcess.Running process;

  @BeforeAll
  static void start() throws Exception {
    process = OttProcess.start("tenancy-test", OttConfig.load(TestEnvironment.base()),
        List.of(Component.of("tenancy", TenancyVerticle::new))).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    process.close().await(20, TimeUnit.SECONDS);
  }

  private static JsonObject request(String address, JsonObject body) throws Exception {
    return process.vertx().eventBus().<JsonObject>request(address, body).await(10, TimeUnit.SECONDS).body();
  }

  private static int failureCode(String address, JsonObject body) {
    try {
      request(address, body);
      return 0;
    } catch (Exception e) {
      Throwable t = e instanceof ReplyException ? e : e.getCause();
      return t instanceof ReplyException re ? re.failureCode() : -1;
    }
  }

  @Test
  void a_new_tenant_key_resolves_to_exactly_that_tenant() throws Exception {
    JsonObject created = request(Addresses.TENANCY_CREATE_TENANT, new JsonObject().put("name", "n-" + UUID.randomUUID()).put("tier", "premium"));
    assertThat(created.getString("tier")).isEqualTo("PREMIUM");
    JsonObject principal = request(Addresses.TENANCY_RESOLVE_KEY, new JsonObject().put("keyHash", ApiKeyHash.of(created.getString("apiKey"))));
    assertThat(principal.getString("tenantId")).isEqualTo(created.getString("tenantId"));
    JsonObject second = request(Addresses.TENANCY_ISSUE_KEY, new JsonObject().put("tenantId", created.getString("tenantId")));
    assertThat(request(Addresses.TENANCY_RESOLVE_KEY, new JsonObject().put("keyHash", ApiKeyHash.of(second.getString("apiKey"))))
        .getString("tenantId")).isEqualTo(created.getString("tenantId"));
  }

  @Test
  void a_tenant_marks_fields_personal_and_tenancy_says_so_to_the_encryption_stage() throws Exception {
    JsonObject created = request(Addresses.TENANCY_CREATE_TENANT, new JsonObject().put("name", "p-" + UUID.randomUUID())
        .put("personalFields", new JsonArray().add("attributes.email").add("accountId")));
    String tenantId = created.getString("tenantId");
    assertThat(created.getJsonArray("personalFields")).as("the default ones are implied").containsExactly("attributes.email");
    List<JsonObject> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
    process.vertx().eventBus().<JsonObject>consumer(Addresses.TENANCY_INVALIDATED, m -> notices.add(m.body()));

    JsonObject set = request(TenancyAddresses.SET_PERSONAL_FIELDS, new JsonObject().put("tenantId", tenantId)
        .put("personalFields", new JsonArray().add("profileId").add("attributes.phone").add("profileId")));
    assertThat(set.getJsonArray("personalFields")).containsExactly("profileId", "attributes.phone");
    assertThat(request(TenancyAddresses.PERSONAL_FIELDS, new JsonObject().put("tenantId", tenantId))
        .getJsonArray("personalFields")).containsExactly("profileId", "attributes.phone");
    for (int i = 0; i < 100 && notices.stream().noneMatch(n -> tenantId.equals(n.getString("tenantId"))); i++) {
      Thread.sleep(100);
    }
    assertThat(notices).as("a change notice for the tenant").anyMatch(n -> tenantId.equals(n.getString("tenantId")));

    assertThat(failureCode(TenancyAddresses.SET_PERSONAL_FIELDS, new JsonObject().put("tenantId", tenantId)
        .put("personalFields", new JsonArray().add("occurredAt")))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.SET_PERSONAL_FIELDS, new JsonObject().put("tenantId", tenantId)
        .put("personalFields", "profileId"))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.SET_PERSONAL_FIELDS, new JsonObject().put("tenantId", tenantId))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.SET_PERSONAL_FIELDS, new JsonObject().put("tenantId", "t-none")
        .put("personalFields", new JsonArray()))).isEqualTo(404);
    assertThat(failureCode(TenancyAddresses.PERSONAL_FIELDS, new JsonObject().put("tenantId", "t-none"))).isEqualTo(404);
    assertThat(failureCode(Addresses.TENANCY_CREATE_TENANT, new JsonObject().put("name", "p-" + UUID.randomUUID())
        .put("personalFields", new JsonArray().add("a.b")))).isEqualTo(400);
  }

  @Test
  void keys_are_stored_only_as_hashes() throws Exception {
    JsonObject created = request(Addresses.TENANCY_CREATE_TENANT, new JsonObject().put("name", "h-" + UUID.randomUUID()));
    try (var c = DriverManager.getConnection(TestServices.pgJdbcUrl());
         var st = c.prepareStatement("SELECT key_hash FROM api_keys WHERE tenant_id = ?")) {
      st.setString(1, created.getString("tenantId"));
      var rs = st.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(ApiKeyHash.of(created.getString("apiKey"))).doesNotContain(created.getString("apiKey"));
    }
  }

  @Test
  void unknown_keys_names_and_tiers_are_refused_with_codes() {
    assertThat(failureCode(Addresses.TENANCY_RESOLVE_KEY, new JsonObject().put("keyHash", "00".repeat(32)))).isEqualTo(401);
    assertThat(failureCode(Addresses.TENANCY_RESOLVE_KEY, new JsonObject())).isEqualTo(400);
    assertThat(failureCode(Addresses.TENANCY_CREATE_TENANT, new JsonObject().put("name", "x").put("tier", "GOLD"))).isEqualTo(400);
    assertThat(failureCode(Addresses.TENANCY_CREATE_TENANT, new JsonObject().put("name", "<script>"))).isEqualTo(400);
    assertThat(failureCode(Addresses.TENANCY_CREATE_TENANT, new JsonObject().put("name", 42))).isEqualTo(400);
    assertThat(failureCode(Addresses.TENANCY_GET_TENANT, new JsonObject().put("tenantId", "t-none"))).isEqualTo(404);
    assertThat(failureCode(Addresses.TENANCY_ISSUE_KEY, new JsonObject().put("tenantId", "t-none"))).isEqualTo(404);
  }

  @Test
  void ensure_is_idempotent() throws Exception {
    String name = "e-" + UUID.randomUUID();
    JsonObject first = request(Addresses.TENANCY_ENSURE_TENANT, new JsonObject().put("name", name));
    JsonObject again = request(Addresses.TENANCY_ENSURE_TENANT, new JsonObject().put("name", name));
    assertThat(first.getBoolean("created")).isTrue();
    assertThat(again.getBoolean("created")).isFalse();
    assertThat(again.getString("tenantId")).isEqualTo(first.getString("tenantId"));
    assertThat(failureCode(Addresses.TENANCY_CREATE_TENANT, new JsonObject().put("name", name))).isEqualTo(409);
  }

  @Test
  void generated_keys_are_unique_and_long() {
    ApiKeys.IssuedKey a = ApiKeys.issue();
    ApiKeys.IssuedKey b = ApiKeys.issue();
    assertThat(a.apiKey()).isNotEqualTo(b.apiKey()).startsWith("ott_" + a.keyId() + "_").hasSizeGreaterThan(50);
    assertThatThrownBy(() -> ApiKeys.hash(null)).isInstanceOf(NullPointerException.class);
  }
}
