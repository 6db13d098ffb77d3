package com.ott.rules.reference;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;

/**
 * Reference data per tenant: the catalogue, the accounts and the tenant's rule-setting
 * overrides. Accounts are keyed by the id the rules see (the account token when the
 * encryption stage is on).
 */
public interface ReferenceData {

  /** The titles and accounts of those ids that exist, and the tenant's overrides, in one round trip. */
  Future<ReferenceSnapshot> snapshot(String tenantId, Collection<String> contentIds, Collection<String> accountIds);

  /** Inserts or replaces titles (already validated by {@link ReferenceBodies#titles}); answers how many. */
  Future<Integer> upsertTitles(String tenantId, List<Title> titles);

  /** Inserts or replaces accounts (already validated by {@link ReferenceBodies#accounts}); answers how many. */
  Future<Integer> upsertAccounts(String tenantId, List<Account> accounts);

  /** The tenant's rule-setting overrides, or null when it has none. */
  Future<JsonObject> ruleOverrides(String tenantId);

  /** Replaces the tenant's overrides (validate them first with {@code RuleSettings.validate}); null removes them. */
  Future<Void> putRuleOverrides(String tenantId, JsonObject overrides);
}
