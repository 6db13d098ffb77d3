package com.ott.rules.consent;

import static com.ott.rules.testing.RuleHarness.account;
import static org.assertj.core.api.Assertions.assertThat;

import com.iabtcf.decoder.TCString;
import com.ott.contract.traffic.TcStringEncoder;
import com.ott.rules.engine.Severity;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsentViolationRuleTest {
  private static final String ID = ConsentViolationRule.ID;
  private static final Set<Integer> ALL = Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

  private RuleHarness harness() {
    return new RuleHarness().accounts(account("eu", "DE"), account("us", "US"));
  }

  private static JsonObject tcf(Set<Integer> purposes, Set<Integer> vendors) {
    return new JsonObject().put("gdprApplies", true)
        .put("tcf", TcStringEncoder.encode(Instant.parse("2025-03-01T00:00:00Z"), purposes, vendors));
  }

  private static JsonObject grant(String at) {
    return Ev.consent(at, "eu", tcf(ALL, Set.of(755, 32)));
  }

  @Test
  void theGeneratorsTcStringsDecodeWithTheIabLibrary() {
    String s = TcStringEncoder.encode(Instant.parse("2025-03-01T12:00:00Z"), Set.of(1, 3, 4, 24), Set.of(2, 755));
    TCString tc = TCString.decode(s);
    assertThat(tc.getVersion()).isEqualTo(2);
    assertThat(tc.getPurposesConsent().toSet()).containsExactlyInAnyOrder(1, 3, 4, 24);
    assertThat(tc.getVendorConsent().toSet()).containsExactlyInAnyOrder(2, 755);
    assertThat(tc.getCreated()).isEqualTo(Instant.parse("2025-03-01T12:00:00Z"));
  }

  @Test
  void personalIdentifiersToAConsentedVendorForConsentedPurposesAreFine() {
    RuleHarness h = harness();
    h.arrive(grant("2025-03-05T10:00:00Z"), Ev.beacon("2025-03-05T10:01:00Z", "eu", "755", true),
        Ev.ad("2025-03-05T10:02:00Z", "eu", "t", 30, true, true, "32"),
        Ev.ad("2025-03-05T10:03:00Z", "eu", "t", 30, false, true, "755"));
    h.flush();
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void aVendorMissingFromTheTcStringIsAHighFinding() {
    RuleHarness h = harness();
    h.arrive(grant("2025-03-05T10:00:00Z"), Ev.beacon("2025-03-05T10:01:00Z", "eu", "91", true));
    h.flush();
    assertThat(h.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.subject().accountToken()).isEqualTo("eu");
      assertThat(f.evidence().getJsonArray("reasons").encode()).contains("vendor 91");
    });
  }

  @Test
  void eachRequestNeedsPurposeOneAndItsOwnPurposes() {
    RuleHarness h = harness();
    h.arrive(Ev.consent("2025-03-05T10:00:00Z", "eu", tcf(Set.of(2, 3, 4, 7), Set.of(755))),
        Ev.beacon("2025-03-05T10:01:00Z", "eu", "755", true));
    h.flush();
    assertThat(h.of(ID)).singleElement().satisfies(f -> assertThat(f.explanation()).contains("purpose 1"));

    RuleHarness measurement = harness();
    measurement.arrive(Ev.consent("2025-03-05T10:00:00Z", "eu", tcf(Set.of(1, 2, 3, 4), Set.of(755))),
        Ev.beacon("2025-03-05T10:01:00Z", "eu", "755", true));
    measurement.flush();
    assertThat(measurement.of(ID)).singleElement()
        .satisfies(f -> assertThat(f.explanation()).contains("purpose 7 or 8"));

    RuleHarness eightIsEnough = harness();
    eightIsEnough.arrive(Ev.consent("2025-03-05T10:00:00Z", "eu", tcf(Set.of(1, 8), Set.of(755))),
        Ev.beacon("2025-03-05T10:01:00Z", "eu", "755", true));
    eightIsEnough.flush();
    assertThat(eightIsEnough.of(ID)).isEmpty();

    RuleHarness ads = harness();
    ads.arrive(Ev.consent("2025-03-05T10:00:00Z", "eu", tcf(Set.of(1, 2, 3), Set.of(755))),
        Ev.ad("2025-03-05T10:01:00Z", "eu", "t", 30, true, true, "755"),
        Ev.ad("2025-03-05T10:02:00Z", "eu", "t", 30, false, true, "755"));
    ads.flush();
    assertThat(ads.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.evidence().getString("purpose")).isEqualTo("PERSONALIZED_AD");
      assertThat(f.evidence().getJsonArray("missingPurposes").getList()).containsExactly(4);
    });
  }

  @Test
  void noConsentRecordWhereGdprAppliesIsAViolationElsewhereItIsNot() {
    RuleHarness h = harness();
    h.arrive(Ev.beacon("2025-03-05T10:01:00Z", "eu", "755", true), Ev.beacon("2025-03-05T10:01:00Z", "us", "755", true),
        Ev.beacon("2025-03-05T10:02:00Z", "eu", "755", false));
    h.flush();
    assertThat(h.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.subject().accountToken()).isEqualTo("eu");
      assertThat(f.evidence().getJsonArray("reasons").getString(0)).isEqualTo("no consent record");
    });
  }

  @Test
  void usPrivacyOptOutOfSaleAndGlobalPrivacyControlDeny() {
    RuleHarness h = harness();
    h.arrive(Ev.consent("2025-03-05T10:00:00Z", "us", new JsonObject().put("usPrivacy", "1YNN")),
        Ev.beacon("2025-03-05T10:01:00Z", "us", "755", true),
        Ev.consent("2025-03-05T11:00:00Z", "us", new JsonObject().put("usPrivacy", "1YYN")),
        Ev.beacon("2025-03-05T11:01:00Z", "us", "755", true),
        Ev.consent("2025-03-05T12:00:00Z", "us", new JsonObject().put("usPrivacy", "1---")),
        Ev.beacon("2025-03-05T12:01:00Z", "us", "755", true),
        Ev.consent("2025-03-05T13:00:00Z", "us", new JsonObject().put("gpc", true)),
        Ev.beacon("2025-03-05T13:01:00Z", "us", "755", true));
    h.flush();
    assertThat(h.of(ID)).extracting(f -> f.occurredAt())
        .containsExactly(Instant.parse("2025-03-05T11:01:00Z"), Instant.parse("2025-03-05T13:01:00Z"));
  }

  @Test
  void theConsentInForceAtEventTimeDecidesAndUpdatesMergeFieldByField() {
    RuleHarness h = harness();
    h.arrive(grant("2025-03-05T10:00:00Z"), Ev.beacon("2025-03-05T10:01:00Z", "eu", "755", true),
        Ev.consent("2025-03-05T10:02:00Z", "eu", new JsonObject().put("gpc", true)),
        Ev.beacon("2025-03-05T10:03:00Z", "eu", "755", true),
        Ev.consent("2025-03-05T10:04:00Z", "eu", new JsonObject().put("gpc", false)),
        Ev.beacon("2025-03-05T10:05:00Z", "eu", "755", true));
    h.flush();
    assertThat(h.of(ID)).singleElement().extracting(f -> f.occurredAt())
        .isEqualTo(Instant.parse("2025-03-05T10:03:00Z"));
  }

  @Test
  void aConsentGrantedJustBeforeABeaconThatArrivesFirstIsStillInForce() {
    JsonObject update = grant("2025-03-05T10:00:00Z");
    JsonObject beacon = Ev.beacon("2025-03-05T10:00:03Z", "eu", "755", true);
    RuleHarness h = harness();
    h.arrive(beacon, update, Ev.heartbeat("2025-03-05T10:06:00Z", "eu", "d", "s", "t"));
    assertThat(h.of(ID)).isEmpty();
    h.flush();
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void aWithdrawalJustBeforeABeaconThatArrivesFirstIsStillAViolation() {
    JsonObject withdraw = Ev.consent("2025-03-05T10:00:00Z", "eu", tcf(Set.of(1, 2, 3, 4), Set.of(755)));
    JsonObject beacon = Ev.beacon("2025-03-05T10:00:03Z", "eu", "755", true);
    RuleHarness ordered = harness();
    ordered.arrive(grant("2025-03-05T09:00:00Z"), withdraw, beacon);
    ordered.flush();
    RuleHarness reversed = harness();
    reversed.arrive(grant("2025-03-05T09:00:00Z"), beacon, withdraw);
    // decided without waiting for a flush: the account's later events make 10:00:03 final
    reversed.arrive(Ev.heartbeat("2025-03-05T10:06:00Z", "eu", "d", "s", "t"));
    assertThat(reversed.of(ID)).hasSize(1);
    assertThat(reversed.alerts(ID)).isEqualTo(ordered.alerts(ID)).hasSize(1);
  }

  @Test
  void vendorNamesAreMappedToTcfIdsPerTenant() {
    RuleHarness h = harness().overrides(new JsonObject().put("rules", new JsonObject().put(ID,
        new JsonObject().put("vendorIds", new JsonObject().put("acme-analytics", 755)))));
    h.arrive(grant("2025-03-05T10:00:00Z"), Ev.beacon("2025-03-05T10:01:00Z", "eu", "acme-analytics", true),
        Ev.beacon("2025-03-05T10:02:00Z", "eu", "other-analytics", true));
    h.flush();
    assertThat(h.of(ID)).singleElement().satisfies(f -> assertThat(f.evidence().getString("thirdParty"))
        .isEqualTo("other-analytics"));
  }

  @Test
  void aTcStringThatCannotBeDecodedGivesNoConsent() {
    RuleHarness h = harness();
    h.arrive(Ev.consent("2025-03-05T10:00:00Z", "eu", new JsonObject().put("gdprApplies", true).put("tcf", "not-a-tc-string")),
        Ev.beacon("2025-03-05T10:01:00Z", "eu", "755", true));
    h.flush();
    assertThat(h.of(ID)).singleElement().satisfies(f -> assertThat(f.explanation()).contains("cannot be decoded"));
  }
}
