package com.ott.tenancy.billing;

import com.ott.tenancy.Tier;
import com.ott.tenancy.metering.DailyUsage;
import com.ott.tenancy.tiers.Meter;
import com.ott.tenancy.tiers.OveragePrice;
import com.ott.tenancy.tiers.TierCatalog;
import com.ott.tenancy.tiers.TierDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A tenant's invoice for one month, from the tier of each billed day, the metered usage and the tier catalog.
 * Pure: no I/O, no clock. Every amount is a {@code long} in minor units; nothing is ever a floating-point number.
 *
 * <p>The rules, for a month of {@code D} days where the tenant was on tier {@code t} for {@code d(t)} days:
 * <ul>
 *   <li><b>Base price</b>: {@code Σ price(t) × d(t) / D}, divided once and rounded half up (so a whole month on
 *       one tier costs exactly its price). Each tier gets a line; line amounts are the differences of the rounded
 *       running totals, so the lines always add up to the rounded base price.
 *   <li><b>Events and API calls</b>: each tier's included amount is prorated the same way,
 *       {@code quota(t) × d(t) / D} rounded half up, and set against the usage metered on that tier's days.
 *       Usage beyond it is charged per started block: {@code ceil(over / unit) × price} of that tier's overage
 *       price. A tier without an overage price for the meter (a hard quota) charges nothing for it.
 *   <li><b>Storage</b>: the bytes retained at the end of the month (stored within the retention of the tier in
 *       force on the last billed day) against that tier's {@code storageBytes}, not prorated (storage is a level,
 *       not a flow); beyond it per started block as above.
 * </ul>
 * Days before the tenant existed are not billed at all.
 */
public final class InvoiceCalculator {
  private InvoiceCalculator() {}

  /** The base price share of one tier. */
  public record BaseLine(Tier tier, int days, long pricePerMonth, long amount) {}

  /** Usage of one meter beyond what a tier includes. */
  public record OverageLine(Tier tier, Meter meter, long included, long used, long over, long unit, long unitPrice,
      long blocks, long amount) {}

  /** The computed invoice. */
  public record Invoice(YearMonth month, String currency, int billedDays, List<BaseLine> base, List<OverageLine> overage,
      DailyUsage usage, long retainedBytes, long total) {

    public JsonObject toJson() {
      JsonArray lines = new JsonArray();
      int daysInMonth = month.lengthOfMonth();
      for (BaseLine b : base) {
        lines.add(new JsonObject().put("kind", "base").put("tier", b.tier().name()).put("days", b.days())
            .put("daysInMonth", daysInMonth).put("pricePerMonth", b.pricePerMonth()).put("amount", b.amount()));
      }
      for (OverageLine o : overage) {
        lines.add(new JsonObject().put("kind", "overage").put("meter", o.meter().key()).put("tier", o.tier().name())
            .put("included", o.included()).put("used", o.used()).put("over", o.over()).put("unit", o.unit())
            .put("unitPrice", o.unitPrice()).put("blocks", o.blocks()).put("amount", o.amount()));
      }
      return new JsonObject()
          .put("month", month.toString())
          .put("currency", currency)
          .put("periodStart", month.atDay(1).toString())
          .put("periodEnd", month.atEndOfMonth().toString())
          .put("billedDays", billedDays)
          .put("lines", lines)
          .put("usage", usage.toJson().put("retainedBytes", retainedBytes))
          .put("total", total);
    }
  }

  /**
   * @param tierByDay     the tier of each billed day of the month (see {@link TierTimeline})
   * @param usageByDay    metered usage by day (days without usage may be absent)
   * @param retainedBytes bytes retained at the end of the month
   */
  public static Invoice calculate(YearMonth month, SortedMap<LocalDate, Tier> tierByDay, Map<LocalDate, DailyUsage> usageByDay,
      long retainedBytes, TierCatalog catalog) {
    long daysInMonth = month.lengthOfMonth();
    Map<Tier, Integer> daysOnTier = new LinkedHashMap<>();
    Map<Tier, DailyUsage> usageOnTier = new LinkedHashMap<>();
    DailyUsage usage = DailyUsage.ZERO;
    for (Map.Entry<LocalDate, Tier> day : tierByDay.entrySet()) {
      if (!YearMonth.from(day.getKey()).equals(month)) {
        throw new IllegalArgumentException("day " + day.getKey() + " is not in " + month);
      }
      DailyUsage used = usageByDay.getOrDefault(day.getKey(), DailyUsage.ZERO);
      daysOnTier.merge(day.getValue(), 1, Integer::sum);
      usageOnTier.merge(day.getValue(), used, DailyUsage::plus);
      usage = usage.plus(used);
    }

    List<BaseLine> base = new ArrayList<>();
    long running = 0;
    long billedSoFar = 0;
    for (Map.Entry<Tier, Integer> e : daysOnTier.entrySet()) {
      long price = catalog.of(e.getKey()).pricePerMonth();
      running = Math.addExact(running, Math.multiplyExact(price, e.getValue()));
      long billedNow = divideHalfUp(running, daysInMonth);
      base.add(new BaseLine(e.getKey(), e.getValue(), price, billedNow - billedSoFar));
      billedSoFar = billedNow;
    }

    List<OverageLine> overage = new ArrayList<>();
    for (Map.Entry<Tier, Integer> e : daysOnTier.entrySet()) {
      TierDefinition def = catalog.of(e.getKey());
      DailyUsage used = usageOnTier.get(e.getKey());
      for (Meter meter : new Meter[] {Meter.EVENTS, Meter.API_CALLS}) {
        long included = divideHalfUp(Math.multiplyExact(def.included(meter), e.getValue()), daysInMonth);
        long amount = meter == Meter.EVENTS ? used.eventsAccepted() : used.apiCalls();
        overageLine(def, meter, included, amount).ifPresent(overage::add);
      }
    }
    if (!tierByDay.isEmpty()) {
      TierDefinition last = catalog.of(tierByDay.get(tierByDay.lastKey()));
      overageLine(last, Meter.STORAGE, last.storageBytes(), retainedBytes).ifPresent(overage::add);
    }

    long total = billedSoFar;
    for (OverageLine o : overage) {
      total = Math.addExact(total, o.amount());
    }
    return new Invoice(month, catalog.currency(), tierByDay.size(), base, overage, usage, retainedBytes, total);
  }

  private static java.util.Optional<OverageLine> overageLine(TierDefinition def, Meter meter, long included, long used) {
    long over = used - included;
    OveragePrice price = def.overageOf(meter);
    if (over <= 0 || price == null) {
      return java.util.Optional.empty();
    }
    long blocks = price.blocks(over);
    return java.util.Optional.of(new OverageLine(def.tier(), meter, included, used, over, price.unit(), price.price(), blocks,
        Math.multiplyExact(blocks, price.price())));
  }

  /** {@code numerator / denominator} rounded half up, for a non-negative numerator and positive denominator. */
  static long divideHalfUp(long numerator, long denominator) {
    if (numerator < 0 || denominator <= 0) {
      throw new IllegalArgumentException("divideHalfUp needs numerator >= 0 and denominator > 0");
    }
    long quotient = numerator / denominator;
    long remainder = numerator % denominator;
    return remainder * 2 >= denominator ? quotient + 1 : quotient;
  }
}
