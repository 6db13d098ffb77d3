package com.ott.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.traffic.TrafficGenerator;
import com.ott.contract.traffic.TrafficOptions;
import com.ott.rules.reference.InMemoryReferenceData;
import com.ott.rules.testing.RuleHarness;
import com.ott.rules.testing.Traffic;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DemoTrafficTest {

  @Test
  void theDemoStreamMakesEveryRuleFireWithinFifteenMinutes() {
    Instant start = Instant.parse("2025-03-07T12:00:00Z");
    TrafficGenerator demo = new TrafficGenerator(99, start, TrafficOptions.demo());
    InMemoryReferenceData reference = new InMemoryReferenceData();
    Traffic.loadReference(demo, reference, "demo");
    RuleEngine engine = new RuleEngine(reference, new InMemoryRuleState(), RuleSettings.defaults());
    Set<String> fired = new TreeSet<>();
    List<JsonObject> events = new ArrayList<>();
    // paced like the product's demo feeder: what is due each 10 s of wall clock
    for (Instant now = start; now.isBefore(start.plus(Duration.ofMinutes(15))); now = now.plusSeconds(10)) {
      List<JsonObject> due = demo.until(now);
      events.addAll(due);
      RuleHarness.await(engine.evaluate("demo", due)).forEach(f -> fired.add(f.ruleId()));
      RuleHarness.await(engine.advanceWatermark("demo", now.minusSeconds(60))).forEach(f -> fired.add(f.ruleId()));
    }
    System.out.printf("demo: %d events in 15 minutes, rules fired: %s%n", events.size(), fired);
    assertThat(fired).containsExactlyInAnyOrderElementsOf(TrafficOptions.RULES);
  }
}
