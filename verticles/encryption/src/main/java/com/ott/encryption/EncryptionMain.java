package com.ott.encryption;

import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import java.util.List;

/**
 * The encryption process: the encryption stage alone, joined to the cluster. With {@code --new-kek} it prints a new
 * key-encryption key (Tink keyset JSON) for {@code OTT_ENCRYPTION_KEK} to standard output and exits; keep it in a
 * secret store.
 */
public final class EncryptionMain {
  private EncryptionMain() {}

  public static void main(String[] args) {
    if (args.length > 0 && "--new-kek".equals(args[0])) {
      System.out.println(KeyEncryptionKey.newKeysetJson());
      return;
    }
    OttProcess.main("encryption", List.of(Component.of("encryption", EncryptionVerticle::new)));
  }
}
