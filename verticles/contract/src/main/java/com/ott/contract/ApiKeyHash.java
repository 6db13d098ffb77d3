package com.ott.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The lookup hash of an API key: hex SHA-256. Keys carry 256 random bits, so a
 * fast hash is sound; only this hash is stored or sent over the bus.
 */
public final class ApiKeyHash {
  private ApiKeyHash() {}

  public static String of(String apiKey) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
