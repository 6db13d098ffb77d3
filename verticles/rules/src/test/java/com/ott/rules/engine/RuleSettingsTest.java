package com.ott.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.contract.traffic.TrafficOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RuleSettingsTest {

  private static JsonObject rule(String id, JsonObject settings) {
    return new JsonObject().put("rules", new JsonObject().put(id, settings));
  }

  @Test
  void theDefaultsHaveEveryRuleWithTheThresholdsOfTheDomain() {
    RuleSettings d = RuleSettings.defaults();
    assertThat(d.ruleIds()).containsExactlyInAnyOrderElementsOf(TrafficOptions.RULES);
    assertThat(d.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(d.allowedLatenessMillis()).isEqualTo(300_000);
    assertThat(d.heartbeatIntervalMillis()).isEqualTo(30_000);
    assertThat(d.rule("concurrent_streams").integer("defaultMaxStreams")).isEqualTo(4);
    assertThat(d.rule("concurrent_streams").integer("missedHeartbeats")).isEqualTo(3);
    assertThat(d.rule("credential_sharing").integer("maxDevices")).isEqualTo(5);
    assertThat(d.rule("credential_sharing").integer("maxNetworks")).isEqualTo(3);
    assertThat(d.rule("credential_sharing").integer("minDaysEach")).isEqualTo(3);
    assertThat(d.rule("credential_sharing").integer("windowDays")).isEqualTo(31);
    assertThat(d.rule("impossible_travel").number("minDistanceKm")).isEqualTo(500);
    assertThat(d.rule("impossible_travel").number("maxSpeedKmh")).isEqualTo(1000);
    assertThat(d.rule("vpn_playback").integer("escalateAfterSessions")).isEqualTo(3);
    assertThat(d.rule("kids_ad_minutes").integer("weekendMaxSeconds")).isEqualTo(630);
    assertThat(d.rule("kids_ad_minutes").integer("weekdayMaxSeconds")).isEqualTo(720);
    assertThat(d.rule("geo_restriction").severity()).isEqualTo(Severity.HIGH);
    assertThat(d.rule("license_window").severity("heartbeatSeverity")).isEqualTo(Severity.MEDIUM);
    assertThat(d.rule("parental_rating").severity("kidsSeverity")).isEqualTo(Severity.HIGH);
    assertThat(d.rule("captions_missing").severity()).isEqualTo(Severity.LOW);
    assertThat(d.rule("credential_sharing").severity()).isEqualTo(Severity.LOW);
    assertThat(d.ruleIds()).allSatisfy(id -> assertThat(d.rule(id).enabled()).isTrue());
  }

  @Test
  void theConfFileIsWhatIsPackaged() throws Exception {
    RuleSettings file = RuleSettings.load(Path.of("../../conf/rules.yaml"));
    assertThat(file.toJson()).isEqualTo(RuleSettings.defaults().toJson());
  }

  @Test
  void overridesChangeOnlyWhatTheyName() {
    RuleSettings s = RuleSettings.defaults().withOverrides(new JsonObject().put("timeZone", "America/New_York")
        .put("rules", new JsonObject()
            .put("concurrent_streams", new JsonObject().put("defaultMaxStreams", 2).put("severity", "HIGH"))
            .put("captions_missing", new JsonObject().put("enabled", false))));
    assertThat(s.timeZone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(s.rule("concurrent_streams").integer("defaultMaxStreams")).isEqualTo(2);
    assertThat(s.rule("concurrent_streams").severity()).isEqualTo(Severity.HIGH);
    assertThat(s.rule("concurrent_streams").integer("missedHeartbeats")).isEqualTo(3);
    assertThat(s.rule("captions_missing").enabled()).isFalse();
    assertThat(s.rule("geo_restriction").enabled()).isTrue();
    assertThat(RuleSettings.defaults().rule("concurrent_streams").integer("defaultMaxStreams")).isEqualTo(4);
  }

  @Test
  void aThresholdOutOfRangeIsReportedWithItsPathAndLimit() {
    assertThat(RuleSettings.validate(rule("concurrent_streams", new JsonObject().put("defaultMaxStreams", 0))))
        .containsExactly("rules.concurrent_streams.defaultMaxStreams: must be at least 1");
    assertThat(RuleSettings.validate(rule("kids_ad_minutes", new JsonObject().put("weekendMaxSeconds", 4000))))
        .containsExactly("rules.kids_ad_minutes.weekendMaxSeconds: must be at most 3600");
    assertThat(RuleSettings.validate(new JsonObject().put("allowedLatenessSeconds", -1)))
        .containsExactly("allowedLatenessSeconds: must be at least 0");
  }

  @Test
  void wrongTypesAndUnknownValuesAreReported() {
    assertThat(RuleSettings.validate(rule("geo_restriction", new JsonObject().put("enabled", "yes"))))
        .containsExactly("rules.geo_restriction.enabled: must be true or false");
    assertThat(RuleSettings.validate(rule("geo_restriction", new JsonObject().put("severity", "SEVERE"))))
        .containsExactly("rules.geo_restriction.severity: must be one of LOW, MEDIUM, HIGH");
    assertThat(RuleSettings.validate(rule("credential_sharing", new JsonObject().put("maxDevices", 2.5))))
        .containsExactly("rules.credential_sharing.maxDevices: must be an integer");
    assertThat(RuleSettings.validate(rule("consent_violation",
        new JsonObject().put("measurementPurposes", new JsonArray().add(7).add(99)))))
        .containsExactly("rules.consent_violation.measurementPurposes.1: must be at most 24");
    assertThat(RuleSettings.validate(rule("consent_violation",
        new JsonObject().put("vendorIds", new JsonObject().put("acme", 755).put("other", "x")))))
        .containsExactly("rules.consent_violation.vendorIds.other: must be an integer");
  }

  @Test
  void unknownRulesSettingsAndTimeZonesAreReported() {
    assertThat(RuleSettings.validate(rule("no_such_rule", new JsonObject())))
        .singleElement().asString().startsWith("rules.no_such_rule: unknown rule (expected one of geo_restriction");
    assertThat(RuleSettings.validate(rule("geo_restriction", new JsonObject().put("maxStreams", 3))))
        .containsExactly("rules.geo_restriction.maxStreams: unknown setting");
    assertThat(RuleSettings.validate(new JsonObject().put("timeZone", "Mars/Olympus_Mons")))
        .containsExactly("timeZone: unknown time zone 'Mars/Olympus_Mons' (expected an IANA id such as Europe/Berlin)");
  }

  @Test
  void everyProblemOfADocumentIsReportedAtOnce() {
    JsonObject overrides = new JsonObject().put("heartbeatIntervalSeconds", 0).put("rules", new JsonObject()
        .put("vpn_playback", new JsonObject().put("escalatedSeverity", "CRITICAL"))
        .put("impossible_travel", new JsonObject().put("maxSpeedKmh", 10)));
    assertThat(RuleSettings.validate(overrides)).containsExactlyInAnyOrder(
        "heartbeatIntervalSeconds: must be at least 1",
        "rules.vpn_playback.escalatedSeverity: must be one of LOW, MEDIUM, HIGH",
        "rules.impossible_travel.maxSpeedKmh: must be at least 100");
    assertThatThrownBy(() -> RuleSettings.defaults().withOverrides(overrides))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.errors()).hasSize(3));
  }

  @Test
  void anEmptyDocumentIsValidAndChangesNothing() {
    assertThat(RuleSettings.validate(new JsonObject())).isEmpty();
    assertThat(RuleSettings.defaults().withOverrides(new JsonObject()).toJson())
        .isEqualTo(RuleSettings.defaults().toJson());
  }
}
