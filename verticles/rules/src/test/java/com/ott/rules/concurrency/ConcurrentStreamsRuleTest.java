package com.ott.rules.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.engine.Severity;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrentStreamsRuleTest {
  private static final String ID = ConcurrentStreamsRule.ID;
  private static final Instant T0 = Instant.parse("2025-03-05T20:00:00Z");

  private RuleHarness harness() {
    return new RuleHarness().accounts(new JsonObject().put("accountId", "acct").put("maxStreams", 2));
  }

  private static String at(long seconds) {
    return T0.plusSeconds(seconds).toString();
  }

  /** A session on a device from {@code from} to {@code to} seconds, heartbeats every 30 s, with a stop when asked. */
  private static List<JsonObject> session(String device, String session, long from, long to, boolean stop) {
    List<JsonObject> list = new ArrayList<>();
    list.add(Ev.start(at(from), "acct", device, session, "t", "US"));
    for (long t = from + 30; t < to; t += 30) {
      list.add(Ev.heartbeat(at(t), "acct", device, session, "t"));
    }
    if (stop) {
      list.add(Ev.stop(at(to), "acct", device, session, "t"));
    }
    return list;
  }

  private static List<JsonObject> byTime(List<JsonObject> events) {
    List<JsonObject> sorted = new ArrayList<>(events);
    sorted.sort((a, b) -> Instant.parse(a.getString("occurredAt")).compareTo(Instant.parse(b.getString("occurredAt"))));
    return sorted;
  }

  @Test
  void threeDevicesAtOnceOnAnAccountAllowedTwoIsAMediumFinding() {
    List<JsonObject> events = new ArrayList<>();
    events.addAll(session("tv", "s1", 0, 600, true));
    events.addAll(session("phone", "s2", 10, 600, true));
    events.addAll(session("tablet", "s3", 20, 600, true));
    RuleHarness h = harness();
    h.arrive(byTime(events));
    assertThat(h.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
      assertThat(f.occurredAt()).isEqualTo(T0.plusSeconds(20));
      assertThat(f.evidence().getInteger("liveDevices")).isEqualTo(3);
      assertThat(f.evidence().getInteger("maxStreams")).isEqualTo(2);
      assertThat(f.windowStart()).isEqualTo(Instant.parse("2025-03-05T20:00:00Z"));
    });
  }

  @Test
  void twoDevicesOrManySessionsOnOneDeviceAreFine() {
    List<JsonObject> events = new ArrayList<>();
    events.addAll(session("tv", "s1", 0, 600, true));
    events.addAll(session("phone", "s2", 10, 600, true));
    events.addAll(session("phone", "s3", 20, 600, true));
    RuleHarness h = harness();
    h.arrive(byTime(events));
    h.flush();
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void aStreamThatStoppedFreesItsSlotEvenWhenTheStopArrivesLate() {
    List<JsonObject> events = new ArrayList<>();
    events.addAll(session("tv", "s1", 0, 300, true));
    events.addAll(session("phone", "s2", 10, 600, true));
    events.addAll(session("tablet", "s3", 310, 600, true));
    List<JsonObject> ordered = byTime(events);
    RuleHarness inOrder = harness();
    inOrder.arrive(ordered);
    inOrder.flush();
    assertThat(inOrder.of(ID)).isEmpty();

    // the stop at 300 s arrives after the tablet's start at 310 s and a few heartbeats
    List<JsonObject> late = new ArrayList<>(ordered);
    JsonObject stop = late.stream().filter(e -> e.getString("type").equals("playback.stop")
        && e.getString("sessionId").equals("s1")).findFirst().orElseThrow();
    late.remove(stop);
    int afterTablet = late.indexOf(late.stream().filter(e -> e.getString("occurredAt").equals(at(340))).findFirst()
        .orElseThrow());
    late.add(afterTablet + 1, stop);
    RuleHarness outOfOrder = harness();
    outOfOrder.arrive(late);
    outOfOrder.flush();
    assertThat(outOfOrder.of(ID)).isEmpty();
  }

  @Test
  void aSessionWithoutHeartbeatsForThreeIntervalsIsNoLongerLive() {
    // s1's last heartbeat is at 270 s: live until 360 s (exclusive)
    List<JsonObject> base = new ArrayList<>();
    base.addAll(session("tv", "s1", 0, 280, false));
    base.addAll(session("phone", "s2", 10, 900, true));

    List<JsonObject> justAfter = new ArrayList<>(base);
    justAfter.addAll(session("tablet", "s3", 360, 900, true));
    RuleHarness fine = harness();
    fine.arrive(byTime(justAfter));
    fine.flush();
    assertThat(fine.of(ID)).isEmpty();

    List<JsonObject> justBefore = new ArrayList<>(base);
    justBefore.addAll(session("tablet", "s3", 359, 900, true));
    RuleHarness over = harness();
    over.arrive(byTime(justBefore));
    over.flush();
    assertThat(over.of(ID)).singleElement().extracting(f -> f.occurredAt()).isEqualTo(T0.plusSeconds(359));
  }

  @Test
  void withoutAccountDataTheDefaultOfFourStreamsApplies() {
    RuleHarness h = new RuleHarness();
    List<JsonObject> four = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      four.addAll(session("dev" + d, "s" + d, d * 10L, 600, true));
    }
    h.arrive(byTime(four));
    h.flush();
    assertThat(h.of(ID)).isEmpty();
    List<JsonObject> five = new ArrayList<>(four);
    five.addAll(session("dev4", "s4", 100, 600, true));
    RuleHarness h5 = new RuleHarness();
    h5.arrive(byTime(five));
    h5.flush();
    assertThat(h5.of(ID)).hasSize(1);
  }

  @Test
  void theDecisionWaitsUntilTheAccountsEventTimePassesTheLateness() {
    RuleHarness h = harness();
    h.batch(byTime(new ArrayList<>(List.of(Ev.start(at(0), "acct", "a", "s1", "t", "US"),
        Ev.start(at(5), "acct", "b", "s2", "t", "US"), Ev.start(at(10), "acct", "c", "s3", "t", "US"))))
        .toArray(JsonObject[]::new));
    assertThat(h.of(ID)).isEmpty();
    h.batch(Ev.heartbeat(at(30), "acct", "a", "s1", "t"), Ev.heartbeat(at(309), "acct", "a", "s1", "t"));
    assertThat(h.of(ID)).isEmpty();
    // 10 s + 300 s lateness
    h.batch(Ev.heartbeat(at(310), "acct", "a", "s1", "t"));
    assertThat(h.of(ID)).hasSize(1);
  }

  @Test
  void aQuietAccountIsDecidedWhenTheWatermarkIsAdvanced() {
    RuleHarness h = harness();
    h.arrive(Ev.start(at(0), "acct", "a", "s1", "t", "US"), Ev.start(at(5), "acct", "b", "s2", "t", "US"),
        Ev.start(at(10), "acct", "c", "s3", "t", "US"));
    assertThat(h.of(ID)).isEmpty();
    assertThat(RuleHarness.await(h.engine.advanceWatermark(RuleHarness.TENANT, T0.plusSeconds(309)))).isEmpty();
    assertThat(RuleHarness.await(h.engine.advanceWatermark(RuleHarness.TENANT, T0.plusSeconds(310)))).hasSize(1);
    // and only once
    assertThat(h.flush()).isEmpty();
  }

  @Test
  void anEventOlderThanTheLatenessIsCountedAsLate() {
    RuleHarness h = harness();
    h.arrive(Ev.start(at(1000), "acct", "a", "s1", "t", "US"), Ev.heartbeat(at(699), "acct", "a", "s1", "t"),
        Ev.heartbeat(at(700), "acct", "a", "s1", "t"));
    assertThat(h.engine.counters().lateEvents()).isEqualTo(1);
  }
}
