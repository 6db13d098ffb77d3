package com.ott.tenancy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys: {@code ott_<keyId>_<secret>} with 256 random bits of secret. Keys are
 * high-entropy, so a plain SHA-256 is a sound lookup hash (no slow KDF needed).
 */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private ApiKeys() {}

  /** A new key and its id. */
  public record IssuedKey(String keyId, String apiKey) {}

  public static IssuedKey issue() {
    byte[] id = new byte[9];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String keyId = "k" + B64.encodeToString(id).replace('-', 'x').replace('_', 'y');
    return new IssuedKey(keyId, "ott_" + keyId + "_" + B64.encodeToString(secret));
  }

  /** Hex SHA-256 of a key, as stored and as sent over the bus. */
  public static String hash(String apiKey) {
    return com.ott.contract.ApiKeyHash.of(apiKey);
  }

  public static String newTenantId() {
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    return "t" + HexFormat.of().formatHex(id);
  }
}
