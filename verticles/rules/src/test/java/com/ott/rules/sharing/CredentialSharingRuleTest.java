package com.ott.rules.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.engine.Severity;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CredentialSharingRuleTest {
  private static final String ID = CredentialSharingRule.ID;
  private static final Instant DAY1 = Instant.parse("2025-03-03T20:00:00Z");

  /** Starts of {@code devices} devices on {@code days} consecutive days, one network, sequential sessions. */
  private static List<JsonObject> devices(int devices, int days, String ip) {
    List<JsonObject> list = new ArrayList<>();
    for (int day = 0; day < days; day++) {
      for (int d = 0; d < devices; d++) {
        Instant at = DAY1.plusSeconds(86_400L * day + 240L * d);
        list.add(Ev.start(at.toString(), "acct", "dev-" + d, "s-" + day + "-" + d, "t", "US").put("ip", ip));
      }
    }
    return list;
  }

  @Test
  void sixDevicesEachOnThreeDaysIsALowFindingOnTheThirdDay() {
    RuleHarness h = new RuleHarness();
    h.arrive(devices(6, 3, "203.0.113.7"));
    assertThat(h.alerts(ID)).hasSize(1);
    assertThat(h.of(ID)).allSatisfy(f -> {
      assertThat(f.severity()).isEqualTo(Severity.LOW);
      assertThat(f.evidence().getString("day")).isEqualTo("2025-03-05");
      assertThat(f.evidence().getInteger("devices")).isEqualTo(6);
    });
  }

  @Test
  void fiveDevicesIsTheLimit() {
    RuleHarness h = new RuleHarness();
    h.arrive(devices(5, 10, "203.0.113.7"));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void aDeviceSeenOnTwoDaysOnlyDoesNotCount() {
    List<JsonObject> events = devices(6, 3, "203.0.113.7");
    // the sixth device misses the third day
    events.remove(events.size() - 1);
    RuleHarness h = new RuleHarness();
    h.arrive(events);
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void daysOutsideTheSlidingWindowDoNotCount() {
    List<JsonObject> events = new ArrayList<>();
    for (int d = 0; d < 6; d++) {
      for (int day : new int[] {0, 1, 31}) {
        Instant at = DAY1.plusSeconds(86_400L * day + 240L * d);
        events.add(Ev.start(at.toString(), "acct", "dev-" + d, "s-" + day + "-" + d, "t", "US"));
      }
    }
    RuleHarness h = new RuleHarness();
    h.arrive(events);
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void fourNetworkPrefixesEachOnThreeDaysIsAFinding() {
    List<JsonObject> events = new ArrayList<>();
    String[] ips = {"198.51.100.10", "198.51.101.10", "2001:db8:1:2::5", "2001:db8:2:2::5"};
    for (int day = 0; day < 3; day++) {
      for (int n = 0; n < 4; n++) {
        Instant at = DAY1.plusSeconds(86_400L * day + 240L * n);
        events.add(Ev.start(at.toString(), "acct", "dev-" + (n % 2), "s-" + day + "-" + n, "t", "US").put("ip", ips[n]));
      }
    }
    RuleHarness h = new RuleHarness();
    h.arrive(events);
    assertThat(h.of(ID)).isNotEmpty().allSatisfy(f -> assertThat(f.evidence().getInteger("networks")).isEqualTo(4));
  }

  @Test
  void addressesInTheSamePrefixAreOneNetwork() {
    List<JsonObject> events = new ArrayList<>();
    // same /24 and same /48: two networks in all
    String[] ips = {"198.51.100.10", "198.51.100.200", "2001:db8:1:2::5", "2001:db8:1:ffff::9"};
    for (int day = 0; day < 3; day++) {
      for (int n = 0; n < 4; n++) {
        Instant at = DAY1.plusSeconds(86_400L * day + 240L * n);
        events.add(Ev.start(at.toString(), "acct", "dev-0", "s-" + day + "-" + n, "t", "US").put("ip", ips[n]));
      }
    }
    RuleHarness h = new RuleHarness();
    h.arrive(events);
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void theEncryptionStagesNetworkTokenIsUsedWhenPresent() {
    List<JsonObject> events = new ArrayList<>();
    for (int day = 0; day < 3; day++) {
      for (int n = 0; n < 4; n++) {
        Instant at = DAY1.plusSeconds(86_400L * day + 240L * n);
        // the same clear-looking IP, but four network tokens
        events.add(Ev.start(at.toString(), "acct", "dev-0", "s-" + day + "-" + n, "t", "US")
            .put("ip", "tok-ip-" + n).put("ipNet", "tok-net-" + n));
      }
    }
    RuleHarness h = new RuleHarness();
    h.arrive(events);
    assertThat(h.alerts(ID)).hasSize(1);
  }

  @Test
  void outOfOrderArrivalGivesTheSameAlerts() {
    List<JsonObject> events = devices(6, 3, "203.0.113.7");
    RuleHarness ordered = new RuleHarness();
    ordered.arrive(events);
    // the last day's starts (within 20 minutes) arrive shuffled
    List<JsonObject> shuffled = new ArrayList<>(events.subList(0, 12));
    List<JsonObject> lastDay = new ArrayList<>(events.subList(12, 18));
    Collections.shuffle(lastDay, new Random(5));
    shuffled.addAll(lastDay);
    RuleHarness h = new RuleHarness();
    h.arrive(shuffled);
    assertThat(h.alerts(ID)).isEqualTo(ordered.alerts(ID)).hasSize(1);
  }
}
