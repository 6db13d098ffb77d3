package com.ott.rules.engine;

import static com.ott.rules.testing.RuleHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.traffic.TrafficOptions;
import com.ott.rules.concurrency.ConcurrentStreamsRule;
import com.ott.rules.reference.InMemoryReferenceData;
import com.ott.rules.reference.ReferenceSnapshot;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import com.ott.rules.testing.Traffic;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RuleEngineTest {
  private static final TrafficOptions BUSY = TrafficOptions.defaults().withAccounts(300).withViolationRate(0.03);

  private static Map<String, Severity> alerts(List<Finding> findings) {
    Map<String, Severity> out = new TreeMap<>();
    findings.forEach(f -> out.merge(f.dedupKey(), f.severity(), Severity::max));
    return out;
  }

  private static RuleEngine engine(Traffic traffic, String tenant) {
    InMemoryReferenceData reference = new InMemoryReferenceData();
    traffic.loadReference(reference, tenant);
    return new RuleEngine(reference, new InMemoryRuleState(), RuleSettings.defaults());
  }

  @Test
  void batchBoundariesDoNotChangeTheAlerts() {
    Traffic traffic = new Traffic(11, 6_000, BUSY);
    Map<String, Severity> one = alerts(Traffic.run(engine(traffic, "t"), "t", traffic.events, 1, true));
    Map<String, Severity> big = alerts(Traffic.run(engine(traffic, "t"), "t", traffic.events, 5_000, true));
    Map<String, Severity> odd = alerts(Traffic.run(engine(traffic, "t"), "t", traffic.events, 337, true));
    assertThat(one).isNotEmpty().isEqualTo(big).isEqualTo(odd);
  }

  @Test
  void eventsArrivingUpToAlmostTheAllowedLatenessOutOfOrderGiveExactlyTheInjectedAlerts() {
    Traffic traffic = new Traffic(13, 20_000, BUSY.withMaxJitterSeconds(290));
    RuleEngine engine = engine(traffic, "t");
    TruthTable table = new TruthTable(traffic.truth,
        Traffic.run(engine, "t", traffic.events, 500, true), RuleSettings.defaults());
    assertThat(engine.counters().lateEvents()).isZero();
    assertThat(table.missing()).isEmpty();
    assertThat(table.unexpected()).isEmpty();
  }

  @Test
  void replayedEventsCreateNoNewAlerts() {
    Traffic traffic = new Traffic(12, 10_000, BUSY);
    RuleEngine engine = engine(traffic, "t");
    List<Finding> first = Traffic.run(engine, "t", traffic.events, 1_000, true);
    List<Finding> all = new ArrayList<>(first);
    all.addAll(Traffic.run(engine, "t", traffic.events.subList(0, 5_000), 1_000, true));
    assertThat(alerts(all).keySet()).isEqualTo(alerts(first).keySet());
  }

  @Test
  void aRuleIsPureLogicOverTheEventAndAWorkingState() {
    RuleSettings settings = RuleSettings.defaults();
    WorkingState state = new WorkingState(Map.of());
    RuleContext ctx = new RuleContext("t", settings, ReferenceSnapshot.EMPTY, state);
    ConcurrentStreamsRule rule = new ConcurrentStreamsRule();
    List<Finding> out = new ArrayList<>();
    for (int d = 0; d < 5; d++) {
      rule.evaluate(RuleEvent.from(Ev.start("2025-03-05T10:00:0" + d + "Z", "acct", "dev" + d, "s" + d, "t", "US")),
          ctx, out);
    }
    rule.finalizeUpTo("acct", java.time.Instant.parse("2025-03-05T10:00:04Z").toEpochMilli(), ctx, out);
    assertThat(out).singleElement().satisfies(f -> assertThat(f.evidence().getInteger("liveDevices")).isEqualTo(5));
    StateChanges changes = state.changes();
    assertThat(changes.writes()).containsOnlyKeys("cs:acct");
    assertThat(changes.writes().get("cs:acct").ttlMillis()).isPositive();
    assertThat(changes.timers()).isEmpty();
  }

  @Test
  void eventsWithoutAParseableTimeAreSkippedAndCounted() {
    RuleHarness h = new RuleHarness();
    JsonObject broken = Ev.start("2025-03-05T10:00:00Z", "a", "d", "s", "t", "US").put("occurredAt", "soon");
    h.batch(broken, Ev.start("2025-03-05T10:00:00Z", "a", "d", "s", "t", "US"));
    assertThat(h.engine.counters().unparseableEvents()).isEqualTo(1);
    assertThat(h.engine.counters().events()).isEqualTo(1);
  }

  @Test
  void invalidStoredOverridesFallBackToTheDefaults() {
    RuleHarness h = new RuleHarness().titles(RuleHarness.title("aired", "PG", "*").put("requiresCaptions", true));
    await(h.reference.putRuleOverrides(RuleHarness.TENANT, new JsonObject().put("rules",
        new JsonObject().put("captions_missing", new JsonObject().put("enabled", "no")))));
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "a", "d", "s", "aired", "US").put("captions", false));
    assertThat(h.of("captions_missing")).hasSize(1);
    assertThat(await(h.engine.settings(RuleHarness.TENANT)).rule("captions_missing").enabled()).isTrue();
  }

  @Test
  void theEngineCountsFindingsPerRule() {
    RuleHarness h = new RuleHarness().titles(RuleHarness.title("aired", "PG", "*").put("requiresCaptions", true));
    h.arrive(Ev.start("2025-03-05T10:00:00Z", "a", "d", "s", "aired", "US").put("captions", false));
    assertThat(h.engine.counters().findings("captions_missing")).isEqualTo(1);
    assertThat(h.engine.counters().findingsByRule()).containsEntry("captions_missing", 1L);
  }
}
