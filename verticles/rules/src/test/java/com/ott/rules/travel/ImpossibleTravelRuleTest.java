package com.ott.rules.travel;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.engine.Severity;
import com.ott.rules.reference.Countries;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ImpossibleTravelRuleTest {
  private static final String ID = ImpossibleTravelRule.ID;

  private static JsonObject start(Instant at, String country) {
    return Ev.start(at.toString(), "acct", "d", "s-" + at.toEpochMilli(), "t", country);
  }

  @Test
  void twoFarCountriesAnHourApartIsAMediumFindingOnTheLaterStart() {
    RuleHarness h = new RuleHarness();
    Instant t0 = Instant.parse("2025-03-05T10:00:00Z");
    JsonObject later = start(t0.plusSeconds(3600), "JP");
    h.arrive(start(t0, "US"), later);
    assertThat(h.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
      assertThat(f.eventId()).isEqualTo(later.getString("eventId"));
      assertThat(f.evidence().getString("fromCountry")).isEqualTo("US");
      assertThat(f.evidence().getString("toCountry")).isEqualTo("JP");
      assertThat(f.evidence().getLong("distanceKm")).isBetween(10_000L, 11_500L);
    });
  }

  @Test
  void theSpeedLimitIsExclusive() {
    // Paris - Berlin
    double km = Countries.capitalDistanceKm("FR", "DE");
    assertThat(km).isBetween(860.0, 890.0);
    long atLimitMillis = (long) Math.ceil(km / 1000 * 3_600_000);
    Instant t0 = Instant.parse("2025-03-05T10:00:00Z");
    RuleHarness slowEnough = new RuleHarness();
    slowEnough.arrive(start(t0, "FR"), start(t0.plusMillis(atLimitMillis), "DE"));
    assertThat(slowEnough.of(ID)).isEmpty();
    RuleHarness tooFast = new RuleHarness();
    tooFast.arrive(start(t0, "FR"), start(t0.plusMillis(atLimitMillis - 1000), "DE"));
    assertThat(tooFast.of(ID)).hasSize(1);
  }

  @Test
  void neighboursCloserThan500KmAreNeverReported() {
    RuleHarness h = new RuleHarness();
    Instant t0 = Instant.parse("2025-03-05T10:00:00Z");
    // Brussels - Amsterdam, one minute apart
    h.arrive(start(t0, "BE"), start(t0.plusSeconds(60), "NL"));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void everyPairCountsSoArrivalOrderDoesNotMatter() {
    Instant t0 = Instant.parse("2025-03-05T10:00:00Z");
    JsonObject fr = start(t0, "FR");
    JsonObject de = start(t0.plusSeconds(120), "DE");
    JsonObject jp = start(t0.plusSeconds(240), "JP");
    RuleHarness ordered = new RuleHarness();
    ordered.arrive(fr, de, jp);
    RuleHarness shuffled = new RuleHarness();
    shuffled.arrive(jp, fr, de);
    assertThat(ordered.alerts(ID)).hasSize(1);
    assertThat(shuffled.alerts(ID)).isEqualTo(ordered.alerts(ID));
    assertThat(shuffled.of(ID)).hasSameSizeAs(ordered.of(ID));
  }

  @Test
  void aSlowJourneyIsFine() {
    RuleHarness h = new RuleHarness();
    Instant t0 = Instant.parse("2025-03-05T10:00:00Z");
    h.arrive(start(t0, "US"), start(t0.plusSeconds(14 * 3600), "JP"));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void theThresholdsAreTenantSettings() {
    RuleHarness h = new RuleHarness().overrides(new JsonObject().put("rules",
        new JsonObject().put(ID, new JsonObject().put("minDistanceKm", 100).put("maxSpeedKmh", 300))));
    Instant t0 = Instant.parse("2025-03-05T10:00:00Z");
    h.arrive(start(t0, "BE"), start(t0.plusSeconds(60), "NL"));
    assertThat(h.of(ID)).hasSize(1);
  }
}
