package com.ott.bridge.auth;

/** Who is calling: the tenant the credential names and the API key's id (kept in audit trails as the actor). */
public record Principal(String tenantId, String keyId) {
  /** How acknowledgements and resolutions made through the bridge name their author. */
  public String actor() {
    return "api-key:" + keyId;
  }
}
