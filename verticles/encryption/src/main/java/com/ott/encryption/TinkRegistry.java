package com.ott.encryption;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import java.security.GeneralSecurityException;

/** Registers the Tink key types this module uses, once per JVM. */
final class TinkRegistry {
  private static volatile boolean registered;

  private TinkRegistry() {}

  static void ensureRegistered() {
    if (registered) {
      return;
    }
    synchronized (TinkRegistry.class) {
      if (!registered) {
        try {
          AeadConfig.register();
          DeterministicAeadConfig.register();
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Tink cannot register its AEAD key types: " + e.getMessage(), e);
        }
        registered = true;
      }
    }
  }
}
