package com.ott.tenancy.billing;

import com.ott.tenancy.Tier;
import com.ott.tenancy.tiers.TierChanges.Change;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which tier a tenant is billed on for each day of a month. A day is billed on the tier in force at its end
 * (UTC): the day of a change counts on the new tier, and of several changes in one day the last wins. Days
 * before the tenant existed are not billed.
 */
public final class TierTimeline {
  private TierTimeline() {}

  /**
   * @param createdAt when the tenant was created
   * @param current   its tier now
   * @param changes   its changes in time order
   */
  public static SortedMap<LocalDate, Tier> days(YearMonth month, OffsetDateTime createdAt, Tier current, List<Change> changes) {
    SortedMap<LocalDate, Tier> out = new TreeMap<>();
    LocalDate createdDay = createdAt.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
    for (LocalDate day = month.atDay(1); !day.isAfter(month.atEndOfMonth()); day = day.plusDays(1)) {
      if (day.isBefore(createdDay)) {
        continue;
      }
      out.put(day, tierAt(day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC), current, changes));
    }
    return out;
  }

  /** The tier in force just before {@code instant}. */
  static Tier tierAt(OffsetDateTime instant, Tier current, List<Change> changes) {
    if (changes.isEmpty()) {
      return current;
    }
    Tier tier = changes.get(0).from();
    for (Change c : changes) {
      if (c.at().isBefore(instant)) {
        tier = c.to();
      } else {
        break;
      }
    }
    return tier;
  }
}
