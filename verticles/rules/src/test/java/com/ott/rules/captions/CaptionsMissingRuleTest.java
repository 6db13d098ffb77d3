package com.ott.rules.captions;

import static com.ott.rules.testing.RuleHarness.title;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.engine.Severity;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import org.junit.jupiter.api.Test;

class CaptionsMissingRuleTest {
  private static final String ID = CaptionsMissingRule.ID;

  private RuleHarness harness() {
    return new RuleHarness().titles(title("aired", "TV-14", "*").put("requiresCaptions", true),
        title("web-only", "TV-14", "*"));
  }

  @Test
  void aTitleThatRequiresCaptionsPlayedWithoutThemIsALowFindingPerTitle() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "a", "d", "s1", "aired", "US").put("captions", false),
        Ev.start("2025-03-05T11:00:00Z", "b", "d2", "s2", "aired", "US").put("captions", false));
    assertThat(h.of(ID)).hasSize(2).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.LOW));
    assertThat(h.alerts(ID)).containsOnlyKeys("captions_missing|c=aired|2025-03-05T00:00:00Z");
  }

  @Test
  void captionsOfferedUnreportedOrNotRequiredAreFine() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "a", "d", "s1", "aired", "US").put("captions", true),
        Ev.start("2025-03-05T10:00:00Z", "a", "d", "s2", "aired", "US"),
        Ev.start("2025-03-05T10:00:00Z", "a", "d", "s3", "web-only", "US").put("captions", false));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void aRuleDisabledForTheTenantFindsNothing() {
    RuleHarness h = harness().overrides(new io.vertx.core.json.JsonObject().put("rules",
        new io.vertx.core.json.JsonObject().put(ID, new io.vertx.core.json.JsonObject().put("enabled", false))));
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "a", "d", "s1", "aired", "US").put("captions", false));
    assertThat(h.of(ID)).isEmpty();
  }
}
