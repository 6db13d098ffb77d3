package com.ott.encryption;

import static com.ott.encryption.EncryptionTestSupport.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.contract.Failures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventProtectorTest {
  private static final List<String> PERSONAL = EventProtector.personalFields(null);
  private final TenantKeys keysA = TenantKeys.generate("tenant-a");
  private final TenantKeys keysB = TenantKeys.generate("tenant-b");
  private final EventProtector a = new EventProtector(keysA);
  private final EventProtector b = new EventProtector(keysB);

  @Test
  void personal_fields_are_replaced_by_tokens_and_sealed_and_the_rest_is_untouched() {
    JsonObject clear = event("e1", "acct-1", "dev-1", "203.0.113.57");
    JsonObject p = a.protect(clear.copy(), PERSONAL);

    for (String field : List.of("accountId", "deviceId", "ip")) {
      assertThat(p.getString(field)).startsWith("tk_").matches("tk_[A-Za-z0-9_-]+").isNotEqualTo(clear.getString(field));
    }
    assertThat(p.getString("ipNet")).startsWith("tk_");
    // one ciphertext for all the personal values: Tink prefix (5) + nonce (12) + tag (16) + the packed values
    byte[] sealed = Base64.getDecoder().decode(p.getString("sealed"));
    assertThat(sealed.length).isBetween(33 + 1 + 3 * 6, 33 + 80);
    for (String field : List.of("eventId", "type", "occurredAt", "profileId", "sessionId", "country", "contentId")) {
      assertThat(p.getValue(field)).isEqualTo(clear.getValue(field));
    }
    assertThat(p.encode()).doesNotContain("acct-1", "dev-1", "203.0.113");
  }

  @Test
  void the_same_value_gives_the_same_token_within_a_tenant_and_a_different_one_across_tenants() {
    JsonObject first = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    JsonObject second = a.protect(event("e2", "acct-1", "dev-1", "203.0.113.200"), PERSONAL);
    JsonObject otherTenant = b.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    JsonObject otherAccount = a.protect(event("e3", "acct-2", "dev-2", "198.51.100.7"), PERSONAL);

    assertThat(second.getString("accountId")).isEqualTo(first.getString("accountId"));
    assertThat(second.getString("deviceId")).isEqualTo(first.getString("deviceId"));
    assertThat(second.getString("ipNet")).as("same /24").isEqualTo(first.getString("ipNet"));
    assertThat(second.getString("ip")).isNotEqualTo(first.getString("ip"));
    assertThat(otherTenant.getString("accountId")).isNotEqualTo(first.getString("accountId"));
    assertThat(otherTenant.getString("ipNet")).isNotEqualTo(first.getString("ipNet"));
    assertThat(otherAccount.getString("accountId")).isNotEqualTo(first.getString("accountId"));
    assertThat(otherAccount.getString("ipNet")).isNotEqualTo(first.getString("ipNet"));
    // ciphertexts are randomised, tokens are not
    assertThat(second.getString("sealed")).isNotEqualTo(first.getString("sealed"));
    JsonObject again = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    assertThat(again.getString("sealed")).as("the same event sealed twice").isNotEqualTo(first.getString("sealed"));
  }

  @Test
  void a_value_tokenises_differently_in_another_field() {
    assertThat(a.token("accountId", "same")).isNotEqualTo(a.token("deviceId", "same"));
  }

  @Test
  void unprotect_restores_the_event_exactly() {
    JsonObject clear = event("e1", "acct-ü-1", "dev-1", "2001:db8:abcd:12::1")
        .put("attributes", new JsonObject().put("email", "kim@example.org").put("plan", "gold"));
    List<String> fields = EventProtector.personalFields(List.of("attributes.email", "profileId"));
    JsonObject p = a.protect(clear.copy(), fields);
    assertThat(p.getJsonObject("attributes").getString("email")).startsWith("tk_");
    assertThat(p.getString("profileId")).startsWith("tk_");
    assertThat(p.getJsonObject("attributes").getString("plan")).isEqualTo("gold");

    assertThat(a.unprotect(p)).isEqualTo(clear);
  }

  @Test
  void values_that_are_not_strings_come_back_with_their_type() {
    JsonObject clear = new JsonObject().put("eventId", "e1").put("type", "auth.login")
        .put("attributes", new JsonObject().put("phone", 4930123456L).put("address", new JsonObject().put("zip", "10115")));
    JsonObject p = a.protect(clear.copy(), EventProtector.personalFields(List.of("attributes.phone", "attributes.address")));
    assertThat(a.unprotect(p)).isEqualTo(clear);
  }

  @Test
  void an_event_without_personal_fields_passes_unchanged() {
    JsonObject clear = new JsonObject().put("eventId", "e1").put("type", "playback.heartbeat").put("sessionId", "s1");
    assertThat(a.protect(clear.copy(), PERSONAL)).isEqualTo(clear);
  }

  @Test
  void a_tampered_ciphertext_is_a_clear_error() {
    JsonObject p = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    byte[] ct = Base64.getDecoder().decode(p.getString("sealed"));
    ct[ct.length - 3] ^= 1;
    p.put("sealed", Base64.getEncoder().encodeToString(ct));

    assertThatThrownBy(() -> a.unprotect(p))
        .isInstanceOfSatisfying(Failures.Rejection.class, r -> assertThat(r.status()).isEqualTo(422))
        .hasMessageContaining("event e1: sealed does not decrypt");
  }

  @Test
  void garbage_in_sealed_is_a_clear_error() {
    JsonObject p = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    p.put("sealed", "not base64 !!");
    assertThatThrownBy(() -> a.unprotect(p.copy())).isInstanceOf(Failures.Rejection.class)
        .hasMessageContaining("event e1: sealed is not a base64 ciphertext");
    p.put("sealed", new JsonArray());
    assertThatThrownBy(() -> a.unprotect(p.copy())).isInstanceOf(Failures.Rejection.class)
        .hasMessageContaining("sealed is not a ciphertext");
    p.put("sealed", new JsonObject().put("ip", 7));
    assertThatThrownBy(() -> a.unprotect(p.copy())).isInstanceOf(Failures.Rejection.class)
        .hasMessageContaining("sealed.ip is not a base64 ciphertext");
  }

  @Test
  void another_tenants_ciphertext_does_not_decrypt() {
    JsonObject fromB = b.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    assertThatThrownBy(() -> a.unprotect(fromB))
        .isInstanceOfSatisfying(Failures.Rejection.class, r -> assertThat(r.status()).isEqualTo(422))
        .hasMessageContaining("does not decrypt with this tenant's keys");
  }

  @Test
  void a_ciphertext_moved_to_another_event_does_not_decrypt() {
    JsonObject p = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    JsonObject other = a.protect(event("e2", "acct-9", "dev-9", "203.0.113.9"), PERSONAL);
    other.put("sealed", p.getString("sealed"));
    assertThatThrownBy(() -> a.unprotect(other)).hasMessageContaining("event e2: sealed does not decrypt");
  }

  @Test
  void events_sealed_field_by_field_before_the_packed_format_still_unprotect_and_reseal_to_it() throws Exception {
    JsonObject clear = event("e1", "acct-1", "dev-1", "203.0.113.57");
    JsonObject p = a.protect(clear.copy(), PERSONAL);
    // the earlier format: one ciphertext per field, associated data (tenant, eventId, field), values type-tagged
    JsonObject perField = new JsonObject();
    for (String field : List.of("accountId", "deviceId", "ip")) {
      perField.put(field, legacySeal(keysA, "e1", field, clear.getString(field)));
    }
    JsonObject legacy = p.copy().put("sealed", perField);
    assertThat(a.unprotect(legacy.copy())).isEqualTo(clear);

    JsonObject swapped = legacy.copy();
    swapped.getJsonObject("sealed").put("deviceId", perField.getString("accountId"));
    assertThatThrownBy(() -> a.unprotect(swapped)).hasMessageContaining("event e1: sealed.deviceId does not decrypt");

    String packed = a.reseal("e1", perField);
    assertThat(packed).as("the older format is always rewritten").isNotNull();
    assertThat(a.unprotect(p.copy().put("sealed", packed))).isEqualTo(clear);
    assertThat(a.reseal("e1", packed)).as("packed under the primary already").isNull();
  }

  private static String legacySeal(TenantKeys keys, String eventId, String field, String value) throws Exception {
    byte[][] parts = {keys.tenantId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        eventId.getBytes(java.nio.charset.StandardCharsets.UTF_8), field.getBytes(java.nio.charset.StandardCharsets.UTF_8)};
    java.io.ByteArrayOutputStream ad = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      ad.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(part.length).array());
      ad.writeBytes(part);
    }
    byte[] body = ("s" + value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(keys.aead().encrypt(body, ad.toByteArray()));
  }

  @Test
  void tokens_reveal_their_value_only_to_their_tenant_and_field() {
    String token = a.token("accountId", "acct-1");
    assertThat(a.valueOf("accountId", token)).isEqualTo("acct-1");
    assertThatThrownBy(() -> b.valueOf("accountId", token))
        .isInstanceOfSatisfying(Failures.Rejection.class, r -> assertThat(r.status()).isEqualTo(422))
        .hasMessageContaining("not this tenant's token for accountId");
    assertThatThrownBy(() -> a.valueOf("deviceId", token)).hasMessageContaining("not this tenant's token for deviceId");
    assertThatThrownBy(() -> a.valueOf("accountId", "tk_%%%")).isInstanceOf(Failures.Rejection.class);
    assertThatThrownBy(() -> a.valueOf("accountId", "acct-1")).hasMessageContaining("not a token");
  }

  @Test
  void an_event_carrying_only_tokens_is_unprotected_from_its_tokens() {
    JsonObject p = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    p.remove("sealed");
    JsonObject back = a.unprotect(p);
    assertThat(back.getString("accountId")).isEqualTo("acct-1");
    assertThat(back.getString("ip")).isEqualTo("203.0.113.57");
    assertThat(back.containsKey("ipNet")).isFalse();

    JsonObject foreign = b.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    foreign.remove("sealed");
    assertThatThrownBy(() -> a.unprotect(foreign)).hasMessageContaining("not this tenant's token");
  }

  @Test
  void protecting_twice_is_refused() {
    JsonObject p = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    assertThatThrownBy(() -> a.protect(p, PERSONAL))
        .isInstanceOfSatisfying(Failures.Rejection.class, r -> assertThat(r.status()).isEqualTo(400))
        .hasMessageContaining("already protected");
  }

  @Test
  void events_need_an_id_to_bind_their_ciphertexts_to() {
    assertThatThrownBy(() -> a.protect(new JsonObject().put("accountId", "x"), PERSONAL))
        .isInstanceOfSatisfying(Failures.Rejection.class, r -> assertThat(r.status()).isEqualTo(400));
  }

  @Test
  void fields_that_bind_or_route_an_event_cannot_be_marked_personal() {
    for (String f : List.of("eventId", "type", "occurredAt", "sealed", "ipNet", "attributes", "consent.tcf", "attributes.")) {
      assertThatThrownBy(() -> EventProtector.personalFields(List.of(f))).as(f).isInstanceOf(Failures.Rejection.class);
    }
  }

  @Test
  void network_prefixes_are_ipv4_slash_24_and_ipv6_slash_48() {
    assertThat(EventProtector.networkOf("203.0.113.57")).isEqualTo("203.0.113.0/24");
    assertThat(EventProtector.networkOf("2001:db8:abcd:12::1")).isEqualTo("2001:db8:abcd::/48");
    assertThat(EventProtector.networkOf("2001:0DB8:ABCD:0012:0:0:0:1")).isEqualTo("2001:db8:abcd::/48");
    assertThat(EventProtector.networkOf("[2001:db8::1%eth0]")).isEqualTo("2001:db8:0::/48");
    assertThat(EventProtector.networkOf("::ffff:198.51.100.7")).isEqualTo("198.51.100.0/24");
    for (String bad : List.of("256.1.1.1", "1.2.3", "1.2.3.4.5", "example.org", "g::1", "", "1..2.3")) {
      assertThat(EventProtector.networkOf(bad)).as(bad).isNull();
    }
  }

  @Test
  void reseal_moves_ciphertexts_to_the_primary_key_only_when_needed() {
    JsonObject p = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    assertThat(a.reseal("e1", p.getString("sealed"))).as("already under the primary").isNull();
    assertThat(EventProtector.keyIdOf(Base64.getDecoder().decode(p.getString("sealed")))).isEqualTo(keysA.primaryKeyId());
  }
}
