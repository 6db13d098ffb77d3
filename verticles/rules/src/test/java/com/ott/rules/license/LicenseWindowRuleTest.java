package com.ott.rules.license;

import static com.ott.rules.testing.RuleHarness.title;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.engine.Severity;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LicenseWindowRuleTest {
  private static final String ID = LicenseWindowRule.ID;

  private RuleHarness harness() {
    return new RuleHarness().titles(title("t", "PG", "*").put("availableFrom", "2025-03-01T00:00:00Z")
        .put("availableUntil", "2025-03-10T00:00:00Z"));
  }

  @Test
  void theWindowIncludesItsStartAndExcludesItsEnd() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-01T00:00:00Z", "a", "d", "s1", "t", "US"),
        Ev.start("2025-03-09T23:59:59.999Z", "a", "d", "s2", "t", "US"));
    assertThat(h.of(ID)).isEmpty();
    h.arrive(Ev.start("2025-03-10T00:00:00Z", "a", "d", "s3", "t", "US"),
        Ev.start("2025-02-28T23:59:59.999Z", "a", "d", "s4", "t", "US"));
    assertThat(h.of(ID)).hasSize(2).allSatisfy(f -> {
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.subject().contentId()).isEqualTo("t");
      assertThat(f.subject().accountToken()).isNull();
    });
    assertThat(h.of(ID).get(0).explanation()).contains("after its licence ended");
    assertThat(h.of(ID).get(1).explanation()).contains("before its licence starts");
  }

  @Test
  void aSessionRunningPastTheEndIsASeparateLowerFindingPerSession() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-09T23:59:00Z", "a", "d", "s1", "t", "US"),
        Ev.heartbeat("2025-03-09T23:59:30Z", "a", "d", "s1", "t"),
        Ev.heartbeat("2025-03-10T00:00:00Z", "a", "d", "s1", "t"),
        Ev.heartbeat("2025-03-10T00:00:30Z", "a", "d", "s1", "t"));
    assertThat(h.of(ID)).hasSize(2).allSatisfy(f -> {
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
      assertThat(f.subject().sessionId()).isEqualTo("s1");
      assertThat(f.windowStart()).isNull();
    });
    assertThat(h.alerts(ID)).containsOnlyKeys("license_window|c=t|s=s1|session");
  }

  @Test
  void theHeartbeatSeverityIsATenantSetting() {
    RuleHarness h = harness().overrides(new JsonObject().put("rules",
        new JsonObject().put(ID, new JsonObject().put("heartbeatSeverity", "LOW"))));
    h.arrive(Ev.heartbeat("2025-03-10T00:00:30Z", "a", "d", "s1", "t"));
    assertThat(h.of(ID)).singleElement().extracting(f -> f.severity()).isEqualTo(Severity.LOW);
  }

  @Test
  void outOfOrderArrivalGivesTheSameAlerts() {
    List<JsonObject> inOrder = List.of(Ev.start("2025-03-09T23:58:00Z", "a", "d", "s1", "t", "US"),
        Ev.heartbeat("2025-03-09T23:58:30Z", "a", "d", "s1", "t"),
        Ev.heartbeat("2025-03-10T00:00:00Z", "a", "d", "s1", "t"),
        Ev.start("2025-03-10T00:01:00Z", "a", "d", "s2", "t", "US"),
        Ev.heartbeat("2025-03-10T00:01:30Z", "a", "d", "s2", "t"));
    RuleHarness ordered = harness();
    ordered.arrive(inOrder);
    List<JsonObject> reversed = new ArrayList<>(inOrder);
    Collections.reverse(reversed);
    RuleHarness shuffled = harness();
    shuffled.arrive(reversed);
    assertThat(shuffled.alerts(ID)).isEqualTo(ordered.alerts(ID)).hasSize(3);
  }
}
