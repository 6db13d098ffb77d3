package com.ott.encryption;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.KmsClients;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The master key-encryption key (KEK) of envelope encryption: every tenant keyset is stored only wrapped by it.
 *
 * <p>Locally the KEK is a Tink AEAD keyset in JSON, given in {@code encryption.kek} (env {@code OTT_ENCRYPTION_KEK})
 * or in the file named by {@code encryption.kekFile}. In a cloud, {@code encryption.kekUri} names a KMS key
 * ({@code gcp-kms://...}, {@code aws-kms://...}) served by a Tink {@link KmsClient} registered with
 * {@link KmsClients#add}; {@link #fromKms} adapts any client directly. Loading and using a KEK may block (file
 * or network), so it never runs on an event loop. The KEK's key material never reaches a log or an error message.
 */
public interface KeyEncryptionKey {

  /** A non-secret name of this KEK, stored beside each keyset it wraps (helps explain a wrong KEK). */
  String id();

  /** Wraps and unwraps keysets; may be a remote KMS call. */
  Aead aead();

  /** A KEK from an AEAD keyset in Tink's JSON format. {@code origin} names where it came from, for errors. */
  static KeyEncryptionKey fromKeysetJson(String json, String origin) {
    TinkRegistry.ensureRegistered();
    if (json == null || json.isBlank()) {
      throw new IllegalStateException(origin + " is empty");
    }
    KeysetHandle handle;
    try {
      handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // no cause and no parser message: either could quote the key material
      throw new IllegalStateException(origin + " is not a Tink keyset in JSON format ("
          + e.getClass().getSimpleName() + ")");
    }
    try {
      Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
      return new Loaded("local:" + Integer.toUnsignedString(handle.getPrimary().getId()), aead);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(origin + " is a Tink keyset but not an AEAD keyset (e.g. AES256_GCM)");
    }
  }

  /** A KEK held by a cloud KMS, through Tink's KMS client interface. */
  static KeyEncryptionKey fromKms(KmsClient client, String keyUri) {
    try {
      return new Loaded(keyUri, client.getAead(keyUri));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the KMS key " + keyUri + " is not usable: " + e.getMessage(), e);
    }
  }

  /**
   * The KEK the {@code encryption} configuration section names: exactly one of {@code kek}, {@code kekFile},
   * {@code kekUri}. Blocking: reads a file or contacts a KMS.
   */
  static KeyEncryptionKey fromConfig(JsonObject encryption) {
    String kek = encryption.getString("kek", "");
    String kekFile = encryption.getString("kekFile", "");
    String kekUri = encryption.getString("kekUri", "");
    List<String> set = new ArrayList<>();
    if (!kek.isBlank()) {
      set.add("encryption.kek");
    }
    if (!kekFile.isBlank()) {
      set.add("encryption.kekFile");
    }
    if (!kekUri.isBlank()) {
      set.add("encryption.kekUri");
    }
    if (set.isEmpty()) {
      throw new IllegalStateException("no key-encryption key configured: set encryption.kek (env OTT_ENCRYPTION_KEK) to a "
          + "Tink AEAD keyset in JSON, or encryption.kekFile (OTT_ENCRYPTION_KEKFILE) to a file holding one, or "
          + "encryption.kekUri (OTT_ENCRYPTION_KEKURI) to a KMS key; `java -jar ott-encryption.jar --new-kek` "
          + "prints a new one");
    }
    if (set.size() > 1) {
      throw new IllegalStateException("more than one key-encryption key configured (" + String.join(", ", set)
          + "): set only one");
    }
    if (!kek.isBlank()) {
      return fromKeysetJson(kek, "encryption.kek (OTT_ENCRYPTION_KEK)");
    }
    if (!kekFile.isBlank()) {
      String json;
      try {
        json = Files.readString(Path.of(kekFile));
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("encryption.kekFile: cannot read " + kekFile + " ("
            + e.getClass().getSimpleName() + ")");
      }
      return fromKeysetJson(json, "encryption.kekFile " + kekFile);
    }
    TinkRegistry.ensureRegistered();
    KmsClient client;
    try {
      client = KmsClients.get(kekUri);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption.kekUri " + kekUri + ": no Tink KmsClient is registered for it "
          + "(add the KMS extension, e.g. tink-gcpkms or tink-awskms, and register its client with KmsClients.add)");
    }
    return fromKms(client, kekUri);
  }

  /** A new random KEK (AES256_GCM) as Tink keyset JSON, for {@code encryption.kek}. Secret: show it to nobody else. */
  static String newKeysetJson() {
    TinkRegistry.ensureRegistered();
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a KEK: " + e.getMessage(), e);
    }
  }

  /** A KEK that is ready to use. */
  record Loaded(String id, Aead aead) implements KeyEncryptionKey {
    @Override
    public String toString() {
      return "KeyEncryptionKey[" + id + "]";
    }
  }
}
