package com.ott.tenancy.tiers;

/** What is metered and billed beyond a tier's included amount. */
public enum Meter {
  /** Events stored (accepted and not a replay). */
  EVENTS("events", "eventsPerMonth"),
  /** Authenticated API calls that passed the rate limit. */
  API_CALLS("apiCalls", "apiCallsPerMonth"),
  /** Bytes retained within the tier's data retention. */
  STORAGE("storage", "storageBytes");

  private final String key;
  private final String quota;

  Meter(String key, String quota) {
    this.key = key;
    this.quota = quota;
  }

  /** The name under {@code overage} in tiers.yaml and on invoices. */
  public String key() {
    return key;
  }

  /** The tier field holding the included amount. */
  public String quota() {
    return quota;
  }
}
