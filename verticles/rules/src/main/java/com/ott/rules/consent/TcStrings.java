package com.ott.rules.consent;

import com.iabtcf.decoder.TCString;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Decoded IAB TCF v2 TC strings (com.iabtcf:iabtcf-decoder), cached: the same strings recur across events. */
final class TcStrings {
  private static final int MAX_CACHED = 20_000;
  private static final Map<String, Optional<TCString>> CACHE = new ConcurrentHashMap<>();

  private TcStrings() {}

  /** The decoded string, or empty when it cannot be decoded. */
  static Optional<TCString> decode(String tc) {
    Optional<TCString> cached = CACHE.get(tc);
    if (cached != null) {
      return cached;
    }
    Optional<TCString> decoded;
    try {
      TCString s = TCString.decode(tc);
      // the decoder is lazy: read the fields the rule needs now, so a malformed string fails here
      s.getPurposesConsent().isEmpty();
      s.getVendorConsent().isEmpty();
      decoded = Optional.of(s);
    } catch (RuntimeException e) {
      decoded = Optional.empty();
    }
    if (CACHE.size() >= MAX_CACHED) {
      CACHE.clear();
    }
    CACHE.put(tc, decoded);
    return decoded;
  }
}
