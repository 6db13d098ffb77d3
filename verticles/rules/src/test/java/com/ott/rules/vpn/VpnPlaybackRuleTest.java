package com.ott.rules.vpn;

import static com.ott.rules.testing.RuleHarness.title;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.engine.Severity;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VpnPlaybackRuleTest {
  private static final String ID = VpnPlaybackRule.ID;

  private RuleHarness harness() {
    return new RuleHarness().titles(title("blocked", "PG", "*").put("blockAnonymizers", true), title("open", "PG", "*"));
  }

  private static JsonObject vpnStart(String at, String session, String content) {
    return Ev.start(at, "acct", "d", session, content, "US").put("vpn", true);
  }

  @Test
  void aVpnSessionOnATitleThatBlocksAnonymisersIsMedium() {
    RuleHarness h = harness();
    h.arrive(vpnStart("2025-03-05T10:00:00Z", "s1", "blocked"));
    assertThat(h.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
      assertThat(f.subject().accountToken()).isEqualTo("acct");
    });
  }

  @Test
  void vpnOnOtherTitlesOrNoVpnIsFine() {
    RuleHarness h = harness();
    h.arrive(vpnStart("2025-03-05T10:00:00Z", "s1", "open"),
        Ev.start("2025-03-05T10:00:00Z", "acct", "d", "s2", "blocked", "US").put("vpn", false),
        Ev.start("2025-03-05T10:00:00Z", "acct", "d", "s3", "blocked", "US"));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void theThirdSessionWithin24HoursIsHigh() {
    RuleHarness h = harness();
    h.arrive(vpnStart("2025-03-05T10:00:00Z", "s1", "blocked"), vpnStart("2025-03-05T18:00:00Z", "s2", "blocked"),
        vpnStart("2025-03-06T09:59:59Z", "s3", "blocked"));
    assertThat(h.of(ID)).extracting(f -> f.severity())
        .containsExactly(Severity.MEDIUM, Severity.MEDIUM, Severity.HIGH);
    assertThat(h.of(ID).get(2).evidence().getInteger("sessionsIn24h")).isEqualTo(3);
  }

  @Test
  void sessionsExactly24HoursApartAreNotInTheSameWindow() {
    RuleHarness h = harness();
    h.arrive(vpnStart("2025-03-05T10:00:00Z", "s1", "blocked"), vpnStart("2025-03-05T18:00:00Z", "s2", "blocked"),
        vpnStart("2025-03-06T10:00:00Z", "s3", "blocked"));
    assertThat(h.of(ID)).extracting(f -> f.severity()).containsOnly(Severity.MEDIUM);
  }

  @Test
  void aSessionReplayedOrRestartedCountsOnce() {
    RuleHarness h = harness();
    JsonObject first = vpnStart("2025-03-05T10:00:00Z", "s1", "blocked");
    h.arrive(first, first, vpnStart("2025-03-05T10:01:00Z", "s1", "blocked"),
        vpnStart("2025-03-05T11:00:00Z", "s2", "blocked"));
    assertThat(h.of(ID)).extracting(f -> f.severity()).containsOnly(Severity.MEDIUM);
  }

  @Test
  void anEarlierSessionArrivingLastStillRaisesTheThirdToHigh() {
    JsonObject s1 = vpnStart("2025-03-05T10:00:00Z", "s1", "blocked");
    JsonObject s2 = vpnStart("2025-03-05T10:02:00Z", "s2", "blocked");
    JsonObject s3 = vpnStart("2025-03-05T10:04:00Z", "s3", "blocked");
    RuleHarness ordered = harness();
    ordered.arrive(s1, s2, s3);
    RuleHarness reversed = harness();
    reversed.arrive(s3, s2, s1);
    Map<String, Severity> alerts = ordered.alerts(ID);
    assertThat(alerts).containsValue(Severity.HIGH);
    assertThat(reversed.alerts(ID)).isEqualTo(alerts);
  }
}
