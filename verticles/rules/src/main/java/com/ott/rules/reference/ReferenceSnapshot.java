package com.ott.rules.reference;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The reference data one batch needs: titles and accounts by id, and the tenant's rule-setting overrides (or null). */
public record ReferenceSnapshot(Map<String, Title> titles, Map<String, Account> accounts, JsonObject ruleOverrides) {

  public static final ReferenceSnapshot EMPTY = new ReferenceSnapshot(Map.of(), Map.of(), null);

  public Title title(String contentId) {
    return contentId == null ? null : titles.get(contentId);
  }

  public Account account(String accountId) {
    return accountId == null ? null : accounts.get(accountId);
  }
}
