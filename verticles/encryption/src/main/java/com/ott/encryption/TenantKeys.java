package com.ott.encryption;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;
import java.security.GeneralSecurityException;
import java.time.Instant;

/**
 * One tenant's keys, ready to use: the AEAD primitive that seals recoverable values (all of its keys, so old
 * ciphertexts keep decrypting) and the deterministic one that makes tokens.
 *
 * @param primaryKeyId the Tink id of the AEAD key new ciphertexts are made with
 * @param rotatedAt when that key became primary
 */
public record TenantKeys(String tenantId, Aead aead, DeterministicAead tokens, long primaryKeyId, Instant rotatedAt) {
  /** Fresh keys that live only in this JVM's memory (benchmarks and tests; the keyring is what persists keys). */
  public static TenantKeys generate(String tenantId) {
    TinkRegistry.ensureRegistered();
    try {
      KeysetHandle aead = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      KeysetHandle tokens = KeysetHandle.generateNew(PredefinedDeterministicAeadParameters.AES256_SIV);
      return new TenantKeys(tenantId, aead.getPrimitive(RegistryConfiguration.get(), Aead.class),
          tokens.getPrimitive(RegistryConfiguration.get(), DeterministicAead.class),
          Integer.toUnsignedLong(aead.getPrimary().getId()), Instant.now());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate keys: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TenantKeys[" + tenantId + ", primary " + primaryKeyId + "]";
  }
}
