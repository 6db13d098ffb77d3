package com.ott.rules.reference;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * An account's reference data. {@code accountId} is the id the rules see: the
 * pseudonymised token when the encryption stage is on, so the accounts body must
 * be tokenised the same way before it is stored.
 */
public record Account(String accountId, String plan, Integer maxStreams, String residence,
    Map<String, Maturity> profiles) {

  /** The maturity of a profile in the reference data, or null when unknown. */
  public Maturity profile(String profileId) {
    return profileId == null || profiles == null ? null : profiles.get(profileId);
  }

  /**
   * The maturity a rule applies to a profile: the account's reference data wins, then what
   * the event claims, and ADULTS when neither says.
   */
  public static Maturity tierOf(Account account, String profileId, Maturity claimed) {
    Maturity m = account == null ? null : account.profile(profileId);
    return m != null ? m : claimed != null ? claimed : Maturity.ADULTS;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("accountId", accountId);
    if (plan != null) {
      json.put("plan", plan);
    }
    if (maxStreams != null) {
      json.put("maxStreams", maxStreams);
    }
    if (residence != null) {
      json.put("residence", residence);
    }
    JsonObject p = new JsonObject();
    if (profiles != null) {
      new TreeMap<>(profiles).forEach((id, m) -> p.put(id, m.name()));
    }
    return json.put("profiles", p);
  }

  public Account withAccountId(String id) {
    return new Account(id, plan, maxStreams, residence, profiles);
  }

  public static Account fromJson(JsonObject json) {
    Map<String, Maturity> profiles = new java.util.HashMap<>();
    JsonObject p = json.getJsonObject("profiles");
    if (p != null) {
      for (Map.Entry<String, Object> e : p) {
        Maturity m = Maturity.parse(String.valueOf(e.getValue()));
        if (m != null) {
          profiles.put(e.getKey(), m);
        }
      }
    }
    return new Account(json.getString("accountId"), json.getString("plan"), json.getInteger("maxStreams"),
        json.getString("residence"), profiles);
  }
}
