package com.ott.app.demo;

import com.ott.contract.Addresses;
import com.ott.contract.ApiKeyHash;
import com.ott.contract.traffic.TrafficGenerator;
import com.ott.contract.traffic.TrafficOptions;
import com.ott.runtime.OttConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When {@code demo.enabled}: makes sure the demo tenant exists with a working API
 * key, writes {@code demo.envFile} for users and scripts, and feeds a steady
 * stream of realistic events through the public API so the product is alive.
 */
public class DemoVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DemoVerticle.class);

  private WebClient client;
  private long timer = -1;

  @Override
  public Future<?> start() {
    JsonObject demo = OttConfig.section(config(), "demo");
    if (!demo.getBoolean("enabled", false)) {
      return Future.succeededFuture();
    }
    Path envFile = Path.of(demo.getString("envFile", ".run/demo.env"));
    String name = demo.getString("tenantName", "demo");
    return vertx.eventBus().<JsonObject>request(Addresses.TENANCY_ENSURE_TENANT,
            new JsonObject().put("name", name).put("tier", "PREMIUM"))
        .map(m -> m.body().getString("tenantId"))
        .compose(tenantId -> usableKey(envFile, tenantId).compose(key -> key != null
            ? Future.succeededFuture(key)
            : vertx.eventBus().<JsonObject>request(Addresses.TENANCY_ISSUE_KEY, new JsonObject().put("tenantId", tenantId))
                .map(m -> m.body().getString("apiKey")))
            .compose(key -> writeEnv(envFile, tenantId, key).map(key)))
        .onSuccess(key -> startTraffic(key, demo.getInteger("eventsPerSecond", 50)));
  }

  /** The key recorded in the env file, if it still opens the demo tenant. */
  private Future<String> usableKey(Path envFile, String tenantId) {
    return vertx.executeBlocking(() -> {
      if (!Files.isReadable(envFile)) {
        return null;
      }
      String prefix = "export OTT_DEMO_API_KEY='";
      for (String line : Files.readAllLines(envFile)) {
        if (line.startsWith(prefix) && line.endsWith("'") && line.length() > prefix.length() + 1) {
          return line.substring(prefix.length(), line.length() - 1);
        }
      }
      return null;
    }).compose(key -> key == null ? Future.<String>succeededFuture(null)
        : vertx.eventBus().<JsonObject>request(Addresses.TENANCY_RESOLVE_KEY, new JsonObject().put("keyHash", ApiKeyHash.of(key)))
            .map(m -> tenantId.equals(m.body().getString("tenantId")) ? key : null)
            .otherwise((String) null));
  }

  private Future<Void> writeEnv(Path envFile, String tenantId, String apiKey) {
    int port = OttConfig.section(config(), "http.gateway").getInteger("port", 8080);
    int bridgePort = OttConfig.section(config(), "http.bridge").getInteger("port", 8081);
    String adminToken = OttConfig.section(config(), "admin").getString("token", "");
    Map<String, String> values = new java.util.LinkedHashMap<>();
    values.put("OTT_ADMIN_TOKEN", adminToken);
    values.put("OTT_DEMO_TENANT", tenantId);
    values.put("OTT_DEMO_API_KEY", apiKey);
    values.put("OTT_API_URL", "http://localhost:" + port + "/api/v2");
    values.put("OTT_BRIDGE_URL", "http://localhost:" + bridgePort);
    return vertx.executeBlocking(() -> {
      StringBuilder text = new StringBuilder("# written by the demo of scripts/run; source it in a shell\n");
      values.forEach((k, v) -> text.append("export ").append(k).append("='").append(v).append("'\n"));
      Path dir = envFile.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "demo", ".env");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException | IOException ignored) {
        // not a POSIX file system: the file keeps the default permissions
      }
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, envFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      LOG.info("demo tenant {} ready; credentials in {}", tenantId, envFile);
      return null;
    });
  }

  /**
   * Loads the generator's catalogue and accounts, then streams its events paced to
   * the wall clock; every rule's violations are injected at a known rate, so each
   * rule fires within minutes.
   */
  private void startTraffic(String apiKey, int eventsPerSecond) {
    if (eventsPerSecond <= 0) {
      return;
    }
    int port = OttConfig.section(config(), "http.gateway").getInteger("port", 8080);
    JsonObject gatewayTls = OttConfig.section(config(), "http.gateway.tls");
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setSsl(gatewayTls.getBoolean("enabled", false)).setTrustAll(true).setVerifyHost(false));
    // the demo options give about 5 events/s per 300 accounts
    int accounts = Math.max(300, eventsPerSecond * 60);
    TrafficGenerator traffic = new TrafficGenerator(System.nanoTime(), Instant.now(), TrafficOptions.demo().withAccounts(accounts));
    put("/api/v2/catalog", traffic.catalog(), apiKey)
        .compose(x -> put("/api/v2/accounts", traffic.accounts(), apiKey))
        .onSuccess(x -> {
          timer = vertx.setPeriodic(1000, 1000, t -> send(traffic.until(Instant.now()), apiKey));
          LOG.info("demo traffic: about {} events/s from {} accounts into the demo tenant", eventsPerSecond, accounts);
        })
        .onFailure(err -> LOG.warn("demo reference data was not accepted: {}", err.getMessage()));
  }

  private Future<Void> put(String path, io.vertx.core.json.JsonArray body, String apiKey) {
    return client.put(path).putHeader("x-api-key", apiKey).putHeader("content-type", "application/json")
        .sendBuffer(body.toBuffer())
        .compose(r -> r.statusCode() == 200 ? Future.<Void>succeededFuture()
            : Future.failedFuture(path + " answered " + r.statusCode() + ": " + r.bodyAsString()));
  }

  private void send(List<JsonObject> events, String apiKey) {
    if (events.isEmpty()) {
      return;
    }
    Buffer body = Buffer.buffer(events.size() * 300);
    events.forEach(e -> body.appendBuffer(e.toBuffer()).appendByte((byte) '\n'));
    client.post("/api/v2/events")
        .putHeader("content-type", "application/x-ndjson")
        .putHeader("x-api-key", apiKey)
        .sendBuffer(body)
        .onSuccess(r -> {
          if (r.statusCode() != 202) {
            LOG.warn("demo traffic answered {}: {}", r.statusCode(), r.bodyAsString());
          }
        })
        .onFailure(err -> LOG.warn("demo traffic failed: {}", err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }
}
