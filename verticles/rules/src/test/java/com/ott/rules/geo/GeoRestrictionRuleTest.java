package com.ott.rules.geo;

import static com.ott.rules.testing.RuleHarness.account;
import static com.ott.rules.testing.RuleHarness.title;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Severity;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GeoRestrictionRuleTest {
  private static final String ID = GeoRestrictionRule.ID;

  private RuleHarness harness() {
    return new RuleHarness()
        .titles(title("us-only", "PG", new JsonArray().add("US").add("CA")),
            title("de-only", "PG", new JsonArray().add("DE")),
            title("es-only", "PG", new JsonArray().add("ES")),
            title("world", "PG", "*"))
        .accounts(account("us-1", "US"), account("de-1", "DE"), account("fr-1", "FR"));
  }

  @Test
  void playbackInALicensedTerritoryIsNotReported() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "us-1", "d1", "s1", "us-only", "CA"),
        Ev.start("2025-03-05T11:00:00Z", "us-1", "d1", "s2", "world", "JP"));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void playbackOutsideTheTerritoriesIsAHighFindingAboutAccountAndTitle() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "us-1", "d1", "s1", "us-only", "BR"));
    assertThat(h.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.subject().accountToken()).isEqualTo("us-1");
      assertThat(f.subject().contentId()).isEqualTo("us-only");
      assertThat(f.evidence().getString("country")).isEqualTo("BR");
      assertThat(f.dedupKey()).isEqualTo("geo_restriction|a=us-1|c=us-only|2025-03-05T00:00:00Z");
      assertThat(f.explanation()).contains("BR").doesNotContain("us-1");
    });
  }

  @Test
  void anEuResidentMayPlayAHomeTitleInAnotherEuCountry() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "de-1", "d1", "s1", "de-only", "FR"),
        Ev.start("2025-03-05T10:00:00Z", "de-1", "d1", "s2", "de-only", "NO"));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void portabilityStopsAtTheEuBorderAndAtTitlesNotOfferedAtHome() {
    RuleHarness h = harness();
    // outside the EU/EEA
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "de-1", "d1", "s1", "de-only", "US"));
    // an EU resident abroad in the EU, but the title is not offered in the country of residence
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "fr-1", "d2", "s2", "es-only", "DE"));
    // a non-EU resident in the EU
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "us-1", "d3", "s3", "de-only", "FR"));
    assertThat(h.of(ID)).extracting(f -> f.subject().accountToken()).containsExactly("de-1", "fr-1", "us-1");
  }

  @Test
  void portabilityCanBeWidenedOrTurnedOffPerTenant() {
    RuleHarness wide = harness().overrides(new JsonObject().put("rules",
        new JsonObject().put(ID, new JsonObject().put("portabilityRequiresHomeLicense", false))));
    wide.arrive(Ev.start("2025-03-05T10:00:00Z", "fr-1", "d2", "s2", "es-only", "DE"));
    assertThat(wide.of(ID)).isEmpty();

    RuleHarness off = harness().overrides(new JsonObject().put("rules",
        new JsonObject().put(ID, new JsonObject().put("euPortability", false))));
    off.arrive(Ev.start("2025-03-05T10:00:00Z", "de-1", "d1", "s1", "de-only", "FR"));
    assertThat(off.of(ID)).hasSize(1);
  }

  @Test
  void theSameAccountAndTitleOnTheSameDayIsOneAlert() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-05T00:00:00Z", "us-1", "d1", "s1", "us-only", "BR"),
        Ev.start("2025-03-05T23:59:59Z", "us-1", "d1", "s2", "us-only", "MX"),
        Ev.start("2025-03-06T00:00:00Z", "us-1", "d1", "s3", "us-only", "BR"));
    assertThat(h.of(ID)).hasSize(3);
    assertThat(h.alerts(ID)).hasSize(2);
  }

  @Test
  void aTitleMissingFromTheCatalogueIsNotJudged() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "us-1", "d1", "s1", "unknown-title", "BR"));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void findingsSerialiseWithTheAlertFields() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "us-1", "d1", "s1", "us-only", "BR"));
    Finding f = h.of(ID).get(0);
    JsonObject json = f.toJson();
    assertThat(json.getString("ruleId")).isEqualTo(ID);
    assertThat(json.getString("tenantId")).isEqualTo(RuleHarness.TENANT);
    assertThat(json.getJsonObject("subject").getString("accountToken")).isEqualTo("us-1");
    assertThat(json.getString("occurredAt")).isEqualTo("2025-03-05T10:00:00Z");
    assertThat(json.getString("windowStart")).isEqualTo("2025-03-05T00:00:00Z");
    assertThat(json.fieldNames()).contains("eventId", "severity", "dedupKey", "evidence", "explanation");
  }
}
