package com.ott.tenancy.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.tenancy.Tier;
import com.ott.tenancy.billing.InvoiceCalculator.BaseLine;
import com.ott.tenancy.billing.InvoiceCalculator.Invoice;
import com.ott.tenancy.billing.InvoiceCalculator.OverageLine;
import com.ott.tenancy.metering.DailyUsage;
import com.ott.tenancy.tiers.Meter;
import com.ott.tenancy.tiers.TierCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Invoices against cases computed by hand from test-tiers.yaml: STANDARD 3000/month (events 3000 included, 7 per
 * started 100 beyond; storage 10000 bytes, 3 per started 1000), PREMIUM 9000/month (events 30000, 5 per 100;
 * API calls 30000, 40 per started 1000), FREE 0 with hard quotas.
 */
class InvoiceCalculatorTest {
  static final TierCatalog CATALOG = load();
  static final YearMonth APRIL = YearMonth.of(2026, 4);
  static final YearMonth MARCH = YearMonth.of(2026, 3);

  static TierCatalog load() {
    try (InputStream in = InvoiceCalculatorTest.class.getResourceAsStream("/com/ott/tenancy/test-tiers.yaml")) {
      return TierCatalog.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static SortedMap<LocalDate, Tier> days(YearMonth month, int fromDay, int toDay, Tier tier, SortedMap<LocalDate, Tier> into) {
    for (int d = fromDay; d <= toDay; d++) {
      into.put(month.atDay(d), tier);
    }
    return into;
  }

  static DailyUsage events(long n) {
    return new DailyUsage(n, 0, 0, 0);
  }

  static void assertLinesAddUp(Invoice invoice) {
    long sum = invoice.base().stream().mapToLong(BaseLine::amount).sum()
        + invoice.overage().stream().mapToLong(OverageLine::amount).sum();
    assertThat(sum).isEqualTo(invoice.total());
  }

  @Test
  void a_whole_month_on_one_tier_without_usage_costs_exactly_its_price() {
    Invoice invoice = InvoiceCalculator.calculate(APRIL, days(APRIL, 1, 30, Tier.STANDARD, new TreeMap<>()), Map.of(), 0, CATALOG);
    assertThat(invoice.total()).isEqualTo(3000);
    assertThat(invoice.base()).containsExactly(new BaseLine(Tier.STANDARD, 30, 3000, 3000));
    assertThat(invoice.overage()).isEmpty();
    assertThat(invoice.billedDays()).isEqualTo(30);
    assertThat(invoice.currency()).isEqualTo("USD");
  }

  @Test
  void zero_usage_on_the_free_tier_costs_nothing() {
    Invoice invoice = InvoiceCalculator.calculate(MARCH, days(MARCH, 1, 31, Tier.FREE, new TreeMap<>()), Map.of(), 0, CATALOG);
    assertThat(invoice.total()).isZero();
    assertThat(invoice.overage()).isEmpty();
    assertThat(invoice.toJson().getJsonArray("lines")).hasSize(1);
  }

  @Test
  void a_mid_month_upgrade_prorates_price_and_allowance_by_days_on_each_tier() {
    // April: STANDARD on days 1-14, PREMIUM on days 15-30 (the upgrade day counts on the new tier)
    SortedMap<LocalDate, Tier> tiers = days(APRIL, 1, 14, Tier.STANDARD, new TreeMap<>());
    days(APRIL, 15, 30, Tier.PREMIUM, tiers);
    Map<LocalDate, DailyUsage> usage = new HashMap<>();
    usage.put(APRIL.atDay(3), events(1000));
    usage.put(APRIL.atDay(10), events(500));
    usage.put(APRIL.atDay(20), new DailyUsage(20_000, 7, 16_001, 0));
    Invoice invoice = InvoiceCalculator.calculate(APRIL, tiers, usage, 0, CATALOG);

    // base: (3000*14 + 9000*16) / 30 = 186000 / 30 = 6200; STANDARD line 42000/30 = 1400, PREMIUM 6200 - 1400
    assertThat(invoice.base()).containsExactly(
        new BaseLine(Tier.STANDARD, 14, 3000, 1400),
        new BaseLine(Tier.PREMIUM, 16, 9000, 4800));
    // events on STANDARD days: 1500 against 3000*14/30 = 1400 included -> 100 over -> 1 block * 7
    // events on PREMIUM days: 20000 against 30000*16/30 = 16000 -> 4000 over -> 40 blocks * 5 = 200
    // API calls on PREMIUM days: 16001 against 16000 -> 1 over -> 1 started block of 1000 * 40
    assertThat(invoice.overage()).containsExactly(
        new OverageLine(Tier.STANDARD, Meter.EVENTS, 1400, 1500, 100, 100, 7, 1, 7),
        new OverageLine(Tier.PREMIUM, Meter.EVENTS, 16000, 20000, 4000, 100, 5, 40, 200),
        new OverageLine(Tier.PREMIUM, Meter.API_CALLS, 16000, 16001, 1, 1000, 40, 1, 40));
    assertThat(invoice.total()).isEqualTo(6200 + 7 + 200 + 40);
    assertThat(invoice.usage()).isEqualTo(new DailyUsage(21_500, 7, 16_001, 0));
    assertLinesAddUp(invoice);
  }

  @Test
  void a_mid_month_downgrade_rounds_the_base_price_once_half_up_and_bills_storage_on_the_final_tier() {
    // March (31 days): PREMIUM on days 1-10, STANDARD on days 11-31
    SortedMap<LocalDate, Tier> tiers = days(MARCH, 1, 10, Tier.PREMIUM, new TreeMap<>());
    days(MARCH, 11, 31, Tier.STANDARD, tiers);
    Map<LocalDate, DailyUsage> usage = new HashMap<>();
    usage.put(MARCH.atDay(5), events(9678));
    usage.put(MARCH.atDay(25), events(2032));
    Invoice invoice = InvoiceCalculator.calculate(MARCH, tiers, usage, 12_500, CATALOG);

    // base: (9000*10 + 3000*21) / 31 = 153000 / 31 = 4935.48 -> 4935;
    // running total after PREMIUM: 90000 / 31 = 2903.2 -> 2903, so STANDARD gets 4935 - 2903 = 2032
    assertThat(invoice.base()).containsExactly(
        new BaseLine(Tier.PREMIUM, 10, 9000, 2903),
        new BaseLine(Tier.STANDARD, 21, 3000, 2032));
    // PREMIUM events: 9678 against 30000*10/31 = 9677.4 -> 9677 -> 1 over -> 1 block * 5
    // STANDARD events: 2032 against 3000*21/31 = 2032.3 -> 2032: exactly at the boundary, nothing
    // storage: 12500 retained against STANDARD's 10000 -> 2500 over -> 3 started blocks of 1000 * 3 = 9
    assertThat(invoice.overage()).containsExactly(
        new OverageLine(Tier.PREMIUM, Meter.EVENTS, 9677, 9678, 1, 100, 5, 1, 5),
        new OverageLine(Tier.STANDARD, Meter.STORAGE, 10000, 12500, 2500, 1000, 3, 3, 9));
    assertThat(invoice.total()).isEqualTo(4935 + 5 + 9);
    assertLinesAddUp(invoice);
  }

  @Test
  void overage_starts_one_unit_past_the_included_amount_and_counts_started_blocks() {
    SortedMap<LocalDate, Tier> april = days(APRIL, 1, 30, Tier.STANDARD, new TreeMap<>());
    long[][] cases = {
        {3000, 3000}, // exactly the included amount: no overage
        {3001, 3007}, // one event over: one started block of 100
        {3100, 3007}, // a whole block over: still one block
        {3101, 3014}, // one past a whole block: two blocks
    };
    for (long[] c : cases) {
      Invoice invoice = InvoiceCalculator.calculate(APRIL, april, Map.of(APRIL.atDay(1), events(c[0])), 0, CATALOG);
      assertThat(invoice.total()).as("%d events", c[0]).isEqualTo(c[1]);
      assertLinesAddUp(invoice);
    }
    Invoice atStorageLimit = InvoiceCalculator.calculate(APRIL, april, Map.of(), 10_000, CATALOG);
    assertThat(atStorageLimit.total()).isEqualTo(3000);
    Invoice oneByteOver = InvoiceCalculator.calculate(APRIL, april, Map.of(), 10_001, CATALOG);
    assertThat(oneByteOver.total()).isEqualTo(3003);
  }

  @Test
  void a_hard_quota_is_never_billed_as_overage() {
    SortedMap<LocalDate, Tier> free = days(APRIL, 1, 30, Tier.FREE, new TreeMap<>());
    Invoice invoice = InvoiceCalculator.calculate(APRIL, free, Map.of(APRIL.atDay(2), new DailyUsage(5000, 0, 900, 0)), 5000, CATALOG);
    assertThat(invoice.total()).isZero();
    assertThat(invoice.overage()).isEmpty();
    // ENTERPRISE prices event overage but not API calls
    SortedMap<LocalDate, Tier> ent = days(APRIL, 1, 30, Tier.ENTERPRISE, new TreeMap<>());
    Invoice enterprise = InvoiceCalculator.calculate(APRIL, ent, Map.of(APRIL.atDay(2), new DailyUsage(300_001, 0, 400_000, 0)), 0, CATALOG);
    assertThat(enterprise.total()).isEqualTo(99_999 + 3);
  }

  @Test
  void a_tenant_created_mid_month_pays_only_for_the_days_it_existed() {
    Invoice invoice = InvoiceCalculator.calculate(APRIL, days(APRIL, 21, 30, Tier.STANDARD, new TreeMap<>()),
        Map.of(APRIL.atDay(22), events(1000)), 0, CATALOG);
    // 3000 * 10 / 30 = 1000; allowance 3000 * 10 / 30 = 1000 events: exactly used
    assertThat(invoice.base()).containsExactly(new BaseLine(Tier.STANDARD, 10, 3000, 1000));
    assertThat(invoice.total()).isEqualTo(1000);
  }

  @Test
  void one_day_is_rounded_half_up() {
    // 3000 / 31 = 96.77 -> 97; 9000 / 30 * 1 = 300
    assertThat(InvoiceCalculator.calculate(MARCH, days(MARCH, 31, 31, Tier.STANDARD, new TreeMap<>()), Map.of(), 0, CATALOG)
        .total()).isEqualTo(97);
    assertThat(InvoiceCalculator.divideHalfUp(45, 30)).isEqualTo(2);
    assertThat(InvoiceCalculator.divideHalfUp(44, 30)).isEqualTo(1);
    assertThat(InvoiceCalculator.divideHalfUp(15, 30)).isEqualTo(1);
    assertThat(InvoiceCalculator.divideHalfUp(14, 30)).isZero();
  }

  @Test
  void the_invoice_json_carries_lines_usage_and_integer_amounts() {
    SortedMap<LocalDate, Tier> tiers = days(APRIL, 1, 14, Tier.STANDARD, new TreeMap<>());
    days(APRIL, 15, 30, Tier.PREMIUM, tiers);
    var json = InvoiceCalculator.calculate(APRIL, tiers, Map.of(APRIL.atDay(3), events(1500)), 0, CATALOG).toJson();
    assertThat(json.getString("month")).isEqualTo("2026-04");
    assertThat(json.getString("periodEnd")).isEqualTo("2026-04-30");
    assertThat(json.getValue("total")).isInstanceOf(Long.class);
    assertThat(json.getJsonArray("lines").getJsonObject(0).getString("kind")).isEqualTo("base");
    assertThat(json.getJsonArray("lines").getJsonObject(2).getString("meter")).isEqualTo("events");
    assertThat(json.encode()).doesNotContain(".0,").doesNotContain("E+");
    assertThat(List.of(json.getLong("total"))).containsExactly(6200L + 7);
  }
}
