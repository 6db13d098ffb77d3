package com.ott.tenancy.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.tenancy.Tier;
import com.ott.tenancy.tiers.TierChanges.Change;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class TierTimelineTest {
  static final YearMonth APRIL = YearMonth.of(2026, 4);
  static final OffsetDateTime LONG_AGO = OffsetDateTime.parse("2025-01-01T00:00:00Z");

  @Test
  void the_day_of_a_change_is_billed_on_the_new_tier() {
    var changes = List.of(new Change(Tier.STANDARD, Tier.PREMIUM, OffsetDateTime.parse("2026-04-15T23:59:00Z")));
    SortedMap<java.time.LocalDate, Tier> days = TierTimeline.days(APRIL, LONG_AGO, Tier.PREMIUM, changes);
    assertThat(days).hasSize(30);
    assertThat(days.get(APRIL.atDay(14))).isEqualTo(Tier.STANDARD);
    assertThat(days.get(APRIL.atDay(15))).isEqualTo(Tier.PREMIUM);
  }

  @Test
  void a_change_at_midnight_starts_that_day() {
    var changes = List.of(new Change(Tier.PREMIUM, Tier.STANDARD, OffsetDateTime.parse("2026-04-11T00:00:00Z")));
    var days = TierTimeline.days(APRIL, LONG_AGO, Tier.STANDARD, changes);
    assertThat(days.get(APRIL.atDay(10))).isEqualTo(Tier.PREMIUM);
    assertThat(days.get(APRIL.atDay(11))).isEqualTo(Tier.STANDARD);
  }

  @Test
  void the_last_change_of_a_day_wins_and_earlier_months_use_the_tier_before_the_first_change() {
    var changes = List.of(
        new Change(Tier.FREE, Tier.ENTERPRISE, OffsetDateTime.parse("2026-04-20T08:00:00Z")),
        new Change(Tier.ENTERPRISE, Tier.STANDARD, OffsetDateTime.parse("2026-04-20T09:00:00Z")));
    var days = TierTimeline.days(APRIL, LONG_AGO, Tier.STANDARD, changes);
    assertThat(days.get(APRIL.atDay(19))).isEqualTo(Tier.FREE);
    assertThat(days.get(APRIL.atDay(20))).isEqualTo(Tier.STANDARD);
    assertThat(TierTimeline.days(YearMonth.of(2026, 3), LONG_AGO, Tier.STANDARD, changes).values()).containsOnly(Tier.FREE);
    assertThat(TierTimeline.days(YearMonth.of(2026, 5), LONG_AGO, Tier.STANDARD, changes).values()).containsOnly(Tier.STANDARD);
  }

  @Test
  void days_before_the_tenant_existed_are_not_billed() {
    var days = TierTimeline.days(APRIL, OffsetDateTime.parse("2026-04-21T17:00:00+02:00"), Tier.FREE, List.of());
    assertThat(days.firstKey()).isEqualTo(APRIL.atDay(21));
    assertThat(days).hasSize(10);
    assertThat(TierTimeline.days(APRIL, OffsetDateTime.parse("2026-05-01T00:00:00Z"), Tier.FREE, List.of())).isEmpty();
  }
}
