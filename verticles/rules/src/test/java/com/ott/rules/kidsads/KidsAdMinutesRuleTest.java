package com.ott.rules.kidsads;

import static com.ott.rules.testing.RuleHarness.title;
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

class KidsAdMinutesRuleTest {
  private static final String ID = KidsAdMinutesRule.ID;
  // Wednesday and Saturday
  private static final String WEEKDAY_HOUR = "2025-03-05T10:00:00Z";
  private static final String SATURDAY_HOUR = "2025-03-08T10:00:00Z";

  private RuleHarness harness() {
    return new RuleHarness().titles(title("cartoon", "TV-Y", "*").put("kidsContent", true),
        title("news", "TV-PG", "*"));
  }

  /** {@code count} ads of {@code seconds} each, two minutes apart from {@code hour} + 1 min. */
  private static List<JsonObject> ads(String hour, String content, int count, double seconds) {
    List<JsonObject> list = new ArrayList<>();
    Instant h = Instant.parse(hour);
    for (int i = 0; i < count; i++) {
      list.add(Ev.ad(h.plusSeconds(60 + 120L * i).toString(), "kid-acct", content, seconds, false, false, "755"));
    }
    return list;
  }

  @Test
  void exactlyTheWeekdayLimitIsFineOneSecondMoreIsNot() {
    RuleHarness at = harness();
    at.arrive(ads(WEEKDAY_HOUR, "cartoon", 24, 30));
    assertThat(at.of(ID)).isEmpty();

    RuleHarness over = harness();
    List<JsonObject> events = new ArrayList<>(ads(WEEKDAY_HOUR, "cartoon", 24, 30));
    events.add(Ev.ad("2025-03-05T10:59:00Z", "kid-acct", "cartoon", 1, false, false, "755"));
    over.arrive(events);
    assertThat(over.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
      assertThat(f.evidence().getInteger("limitSeconds")).isEqualTo(720);
      assertThat(f.evidence().getDouble("adSeconds")).isEqualTo(721.0);
      assertThat(f.windowStart()).isEqualTo(Instant.parse(WEEKDAY_HOUR));
    });
  }

  @Test
  void theWeekendLimitIs630Seconds() {
    RuleHarness at = harness();
    at.arrive(ads(SATURDAY_HOUR, "cartoon", 21, 30));
    assertThat(at.of(ID)).isEmpty();
    RuleHarness over = harness();
    over.arrive(ads(SATURDAY_HOUR, "cartoon", 22, 30));
    assertThat(over.of(ID)).singleElement().satisfies(f -> assertThat(f.evidence().getInteger("limitSeconds"))
        .isEqualTo(630));
  }

  @Test
  void adsSplitAcrossTwoClockHoursCountSeparately() {
    RuleHarness h = harness();
    h.arrive(ads("2025-03-05T10:30:00Z", "cartoon", 30, 30));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void adsOnOtherContentDoNotCount() {
    RuleHarness h = harness();
    h.arrive(ads(WEEKDAY_HOUR, "news", 29, 30));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void clockHoursAndWeekendsFollowTheTenantTimeZone() {
    // Friday 23:00-24:00 UTC is Saturday 00:00-01:00 in Berlin
    List<JsonObject> events = ads("2025-03-07T23:00:00Z", "cartoon", 22, 30);
    RuleHarness utc = harness();
    utc.arrive(events);
    assertThat(utc.of(ID)).isEmpty();
    RuleHarness berlin = harness().overrides(new JsonObject().put("timeZone", "Europe/Berlin"));
    berlin.arrive(events);
    assertThat(berlin.of(ID)).isNotEmpty().allSatisfy(f -> assertThat(f.evidence().getBoolean("weekend")).isTrue());
  }

  @Test
  void aReplayedImpressionCountsOnce() {
    RuleHarness h = harness();
    List<JsonObject> events = ads(WEEKDAY_HOUR, "cartoon", 24, 30);
    h.arrive(events);
    h.arrive(events.get(0), events.get(1));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void outOfOrderArrivalGivesTheSameAlerts() {
    List<JsonObject> events = ads(WEEKDAY_HOUR, "cartoon", 25, 30);
    RuleHarness ordered = harness();
    ordered.arrive(events);
    List<JsonObject> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(3));
    RuleHarness h = harness();
    h.arrive(shuffled);
    assertThat(h.alerts(ID)).isEqualTo(ordered.alerts(ID)).hasSize(1);
  }
}
