package com.ott.encryption;

import static com.ott.encryption.EncryptionTestSupport.event;
import static com.ott.encryption.EncryptionTestSupport.newTenant;
import static com.ott.encryption.EncryptionTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;
import com.ott.contract.EncryptionAddresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The key-encryption key at start-up: a missing, malformed or wrong KEK stops the deployment with a clear message. */
@ExtendWith(VertxExtension.class)
class KekStartupIT {

  @Test
  void without_a_kek_the_verticle_does_not_deploy(Vertx vertx) {
    assertThat(deployFailure(vertx, new JsonObject()))
        .contains("no key-encryption key configured")
        .contains("OTT_ENCRYPTION_KEK");
  }

  @Test
  void a_kek_that_is_not_a_keyset_is_refused_without_echoing_it(Vertx vertx) {
    String message = deployFailure(vertx, new JsonObject().put("kek", "{\"secret-looking\": \"hunter2\"}"));
    assertThat(message).contains("encryption.kek (OTT_ENCRYPTION_KEK) is not a Tink keyset in JSON format")
        .doesNotContain("hunter2");
    assertThat(deployFailure(vertx, new JsonObject().put("kek", "not json at all")))
        .contains("is not a Tink keyset");
  }

  @Test
  void a_keyset_that_is_not_an_aead_is_refused(Vertx vertx) throws Exception {
    TinkRegistry.ensureRegistered();
    String deterministic = TinkJsonProtoKeysetFormat.serializeKeyset(
        KeysetHandle.generateNew(PredefinedDeterministicAeadParameters.AES256_SIV), InsecureSecretKeyAccess.get());
    assertThat(deployFailure(vertx, new JsonObject().put("kek", deterministic))).contains("not an AEAD keyset");
  }

  @Test
  void more_than_one_kek_source_is_ambiguous(Vertx vertx) {
    assertThat(deployFailure(vertx, new JsonObject().put("kek", EncryptionTestSupport.testKek()).put("kekFile", "/x")))
        .contains("more than one key-encryption key configured");
  }

  @Test
  void an_unreadable_kek_file_is_named(Vertx vertx, @TempDir Path dir) {
    assertThat(deployFailure(vertx, new JsonObject().put("kekFile", dir.resolve("missing.json").toString())))
        .contains("encryption.kekFile: cannot read").contains("missing.json");
  }

  @Test
  void a_kek_uri_without_a_kms_client_is_explained(Vertx vertx) {
    assertThat(deployFailure(vertx, new JsonObject().put("kekUri", "gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/k")))
        .contains("no Tink KmsClient is registered");
  }

  @Test
  void a_kek_other_than_the_one_that_wrapped_the_stored_keysets_is_refused(Vertx vertx) throws Exception {
    // make sure a keyset wrapped by the test KEK exists and is the newest
    String id = vertx.deployVerticle(new EncryptionVerticle(), options(vertx, new JsonObject().put("kek", EncryptionTestSupport.testKek())))
        .await(60, TimeUnit.SECONDS);
    request(vertx, EncryptionAddresses.PROTECT, new JsonObject().put("tenantId", newTenant())
        .put("events", new JsonArray().add(event("e1", "acct-1", "dev-1", "192.0.2.1"))).put("personalFields", new JsonArray()));
    vertx.undeploy(id).await(30, TimeUnit.SECONDS);

    String message = deployFailure(vertx, new JsonObject().put("kek", KeyEncryptionKey.newKeysetJson()));
    assertThat(message).contains("cannot unwrap the tenant keysets stored in PostgreSQL")
        .contains("wrong KEK for this database")
        .contains(KeyEncryptionKey.fromKeysetJson(EncryptionTestSupport.testKek(), "test").id());
  }

  @Test
  void the_kek_can_come_from_a_file(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("kek.json");
    Files.writeString(file, EncryptionTestSupport.testKek());
    vertx.deployVerticle(new EncryptionVerticle(), options(vertx, new JsonObject().put("kekFile", file.toString())))
        .await(60, TimeUnit.SECONDS);
    JsonObject reply = request(vertx, EncryptionAddresses.PROTECT, new JsonObject().put("tenantId", newTenant())
        .put("events", new JsonArray().add(event("e1", "acct-1", "dev-1", "192.0.2.1"))).put("personalFields", new JsonArray()));
    assertThat(reply.getJsonArray("events").getJsonObject(0).getString("accountId")).startsWith("tk_");
  }

  @Test
  void when_disabled_nothing_is_served_so_nothing_passes_through_in_clear(Vertx vertx) throws Exception {
    JsonObject config = EncryptionTestSupport.config(vertx, new JsonObject());
    config.getJsonObject("encryption").put("enabled", false);
    vertx.deployVerticle(new EncryptionVerticle(), new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS);
    assertThatThrownBy(() -> vertx.eventBus().request(EncryptionAddresses.PROTECT, new JsonObject().put("tenantId", "t")
            .put("events", new JsonArray())).await(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
  }

  private static DeploymentOptions options(Vertx vertx, JsonObject kekSettings) {
    return new DeploymentOptions().setConfig(EncryptionTestSupport.config(vertx, kekSettings));
  }

  private static String deployFailure(Vertx vertx, JsonObject kekSettings) {
    try {
      vertx.deployVerticle(new EncryptionVerticle(), options(vertx, kekSettings)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("the verticle deployed");
  }
}
