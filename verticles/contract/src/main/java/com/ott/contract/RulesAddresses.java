package com.ott.contract;

/** Event-bus addresses of the rules verticle. */
public final class RulesAddresses {
  private RulesAddresses() {}

  /** Newly stored (pseudonymised) events of one tenant: {@code {tenantId, events:[...]}} -> {@code {evaluated, findings}}. */
  public static final String EVALUATE = "ott.rules.evaluate";
  /** {@code {tenantId, entries:[catalogue entry...]}} -> {@code {upserted}}; fails 400 listing each invalid entry. */
  public static final String PUT_CATALOG = "ott.rules.put-catalog";
  /** {@code {tenantId, entries:[account...]}} (clear account ids, tokenised here) -> {@code {upserted}}; fails 400. */
  public static final String PUT_ACCOUNTS = "ott.rules.put-accounts";
  /** {@code {tenantId}} -> {@code {defaults, overrides, effective}}: the tenant's rule settings. */
  public static final String GET_SETTINGS = "ott.rules.get-settings";
  /** {@code {tenantId, overrides}} -> the new settings; fails 400 with each invalid field. */
  public static final String PUT_SETTINGS = "ott.rules.put-settings";
}
