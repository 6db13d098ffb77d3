package com.ott.rules.engine;

import io.vertx.core.json.JsonObject;

/** What a finding is about: any of the account (its token), the title and the playback session. */
public record Subject(String accountToken, String contentId, String sessionId) {

  public static Subject account(String accountToken) {
    return new Subject(accountToken, null, null);
  }

  public static Subject content(String contentId) {
    return new Subject(null, contentId, null);
  }

  public static Subject accountContent(String accountToken, String contentId) {
    return new Subject(accountToken, contentId, null);
  }

  /** The subject's part of a dedup key, e.g. {@code a=<token>|c=<contentId>}. */
  public String key() {
    StringBuilder sb = new StringBuilder(64);
    if (accountToken != null) {
      sb.append("a=").append(accountToken);
    }
    if (contentId != null) {
      sb.append(sb.length() == 0 ? "" : "|").append("c=").append(contentId);
    }
    if (sessionId != null) {
      sb.append(sb.length() == 0 ? "" : "|").append("s=").append(sessionId);
    }
    return sb.toString();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (accountToken != null) {
      json.put("accountToken", accountToken);
    }
    if (contentId != null) {
      json.put("contentId", contentId);
    }
    if (sessionId != null) {
      json.put("sessionId", sessionId);
    }
    return json;
  }
}
