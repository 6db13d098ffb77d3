package com.ott.contract;

/**
 * Tenancy's bus contract for tiers, usage metering and billing (tenants and keys are in {@link Addresses}).
 *
 * <p>Amounts are integer minor units of the catalog's {@code currency} (cents for USD), never floating point.
 * Days are UTC ISO dates ({@code 2026-03-31}), months {@code YYYY-MM}. Failures are {@link Failures} codes:
 * 400 for a bad request, 404 for an unknown tenant, 503 when tenancy cannot answer.
 */
public final class TenancyAddresses {
  private TenancyAddresses() {}

  /**
   * {@code {tenantId}} -> the tenant's tier definition: {@code {tenantId, tier, displayName, requestsPerSecond,
   * burst, eventsPerMonth, apiCallsPerMonth, storageBytes, dataRetentionDays, dashboardSeats, pricePerMonth,
   * currency, overage: {events?|apiCalls?|storage?: {unit, price}}, hardQuotas: ["eventsPerMonth", ...]}}.
   * A quota listed in {@code hardQuotas} has no overage price: reaching it refuses further use until the month ends.
   */
  public static final String TIER_OF = "ott.tenancy.tier-of";

  /**
   * {@code {tenantId}} -> {@code {tenantId, personalFields:[...]}}: the fields the tenant marks personal beyond
   * accountId, deviceId and ip (top-level names, or {@code attributes.<name>}); 404 for an unknown tenant.
   */
  public static final String PERSONAL_FIELDS = "ott.tenancy.personal-fields";

  /**
   * {@code {tenantId, personalFields:[...]}} -> as {@link #PERSONAL_FIELDS}: replaces them (400 naming a field that
   * cannot be personal) and publishes {@link Addresses#TENANCY_INVALIDATED} so the encryption stage picks them up.
   * Events stored before keep the protection they had.
   */
  public static final String SET_PERSONAL_FIELDS = "ott.tenancy.set-personal-fields";

  /**
   * {@code {tenantId, tier}} -> {@code {tenantId, tier, previousTier, changed, changedAt}}. Records the change
   * time (proration) and publishes {@link Addresses#TENANCY_INVALIDATED} {@code {tenantId}} so caches refresh.
   */
  public static final String CHANGE_TIER = "ott.tenancy.change-tier";

  /**
   * {@code {tenantId, idempotencyKey, day?, eventsAccepted?, eventsRejected?, apiCalls?, bytesStored?}} ->
   * {@code {recorded: true|false}}. Adds the counts to the tenant's day (today, UTC, when {@code day} is absent)
   * unless that idempotency key was already recorded for the tenant ({@code recorded:false}, nothing added).
   * Missing counts are 0. Send {@code eventsAccepted} as the events newly stored (a replayed batch stores none).
   */
  public static final String METER = "ott.tenancy.meter";

  /**
   * {@code {tenantId, from, to}} (inclusive days, at most 366) -> {@code {tenantId, from, to, days:[{day,
   * eventsAccepted, eventsRejected, apiCalls, bytesStored}, ...], totals:{eventsAccepted, eventsRejected, apiCalls,
   * bytesStored}}}: one entry per day of the range, zeros where nothing was metered.
   */
  public static final String USAGE = "ott.tenancy.usage";

  /**
   * {@code {tenantId}} -> {@code {tenantId, tier, month, resetsAt, used:{eventsAccepted, apiCalls, retainedBytes},
   * limits:{eventsPerMonth, apiCallsPerMonth, storageBytes}, hardQuotas:[..], exceeded:[{quota, limit, used}]}}:
   * month-to-date usage against the tier; {@code exceeded} lists the hard quotas that are used up.
   */
  public static final String QUOTA_STATUS = "ott.tenancy.quota-status";

  /**
   * {@code {tenantId, month?}} -> {@code {tenantId, currency, invoices:[invoice, ...]}}. Without {@code month}: the
   * stored (closed) invoices, newest first, then the current month's draft. With a closed month: that invoice; the
   * current month: its draft. Invoice: {@code {tenantId, month, status: closed|draft, currency, periodStart,
   * periodEnd, lines:[{kind: base|overage, tier, ...amount}], usage:{...}, total, closedAt?}}.
   */
  public static final String INVOICES = "ott.tenancy.invoices";
}
