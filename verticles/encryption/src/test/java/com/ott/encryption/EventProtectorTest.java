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
      assertThat(p.getJsonObject("sealed").getString(field)).isNotBlank();
      assertThat(Base64.getDecoder().decode(p.getJsonObject("sealed").getString(field))).isNotEmpty();
    }
    assertThat(p.getString("ipNet")).startsWith("tk_");
    assertThat(p.getJsonObject("sealed").fieldNames()).containsExactlyInAnyOrder("accountId", "deviceId", "ip");
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
    assertThat(second.getJsonObject("sealed").getString("accountId"))
        .isNotEqualTo(first.getJsonObject("sealed").getString("accountId"));
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
    byte[] ct = Base64.getDecoder().decode(p.getJsonObject("sealed").getString("accountId"));
    ct[ct.length - 3] ^= 1;
    p.getJsonObject("sealed").put("accountId", Base64.getEncoder().encodeToString(ct));

    assertThatThrownBy(() -> a.unprotect(p))
        .isInstanceOfSatisfying(Failures.Rejection.class, r -> assertThat(r.status()).isEqualTo(422))
        .hasMessageContaining("event e1: sealed.accountId does not decrypt");
  }

  @Test
  void garbage_in_sealed_is_a_clear_error() {
    JsonObject p = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    p.getJsonObject("sealed").put("ip", "not base64 !!");
    assertThatThrownBy(() -> a.unprotect(p.copy())).isInstanceOf(Failures.Rejection.class)
        .hasMessageContaining("sealed.ip is not a base64 ciphertext");
    p.put("sealed", new JsonArray());
    assertThatThrownBy(() -> a.unprotect(p.copy())).isInstanceOf(Failures.Rejection.class)
        .hasMessageContaining("sealed is not an object");
  }

  @Test
  void another_tenants_ciphertext_does_not_decrypt() {
    JsonObject fromB = b.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    assertThatThrownBy(() -> a.unprotect(fromB))
        .isInstanceOfSatisfying(Failures.Rejection.class, r -> assertThat(r.status()).isEqualTo(422))
        .hasMessageContaining("does not decrypt with this tenant's keys");
  }

  @Test
  void a_ciphertext_moved_to_another_field_or_event_does_not_decrypt() {
    JsonObject p = a.protect(event("e1", "acct-1", "dev-1", "203.0.113.57"), PERSONAL);
    JsonObject swapped = p.copy();
    swapped.getJsonObject("sealed").put("deviceId", p.getJsonObject("sealed").getString("accountId"));
    assertThatThrownBy(() -> a.unprotect(swapped)).hasMessageContaining("sealed.deviceId does not decrypt");

    JsonObject other = a.protect(event("e2", "acct-9", "dev-9", "203.0.113.9"), PERSONAL);
    other.getJsonObject("sealed").put("accountId", p.getJsonObject("sealed").getString("accountId"));
    assertThatThrownBy(() -> a.unprotect(other)).hasMessageContaining("event e2: sealed.accountId does not decrypt");
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
    assertThat(a.reseal("e1", p.getJsonObject("sealed"))).as("already under the primary").isNull();
    for (String ct : p.getJsonObject("sealed").getMap().values().stream().map(String::valueOf).toList()) {
      assertThat(EventProtector.keyIdOf(Base64.getDecoder().decode(ct))).isEqualTo(keysA.primaryKeyId());
    }
  }
}
