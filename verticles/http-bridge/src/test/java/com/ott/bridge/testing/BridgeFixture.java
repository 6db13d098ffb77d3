package com.ott.bridge.testing;

import com.ott.bridge.BridgeVerticle;
import com.ott.contract.Addresses;
import com.ott.contract.AlertAddresses;
import com.ott.ingestion.IngestionVerticle;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.runtime.ProcessRuntime;
import com.ott.rules.RulesVerticle;
import com.ott.store.StoreVerticle;
import com.ott.store.alerts.AlertsVerticle;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One process like the product's: real tenancy, event store, alert store, rules (Redis) and ingestion against the
 * test PostgreSQL and Redis, and the bridge under test on a free port. Tenants are created through tenancy, alerts raised
 * through the alert store, so what clients receive is what the store published.
 */
public final class BridgeFixture implements AutoCloseable {
  public record Tenant(String tenantId, String apiKey) {}

  public final OttProcess.Running process;
  public final int port;
  private int findings;

  private BridgeFixture(OttProcess.Running process, int port) {
    this.process = process;
    this.port = port;
  }

  public static BridgeFixture start(Consumer<JsonObject> bridgeSettings) throws Exception {
    JsonObject config = OttConfig.load(TestEnvironment.base());
    // the test environment turns the rules stage off for modules without it; this process has it
    config.getJsonObject("rules").put("enabled", true);
    JsonObject bridge = config.getJsonObject("bridge");
    bridgeSettings.accept(bridge);
    OttProcess.Running process = OttProcess.start("bridge-test", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("store", StoreVerticle::new),
        Component.of("alerts", AlertsVerticle::new),
        Component.of("rules", RulesVerticle::new),
        Component.of("ingestion", IngestionVerticle::new),
        Component.of("http-bridge", BridgeVerticle::new))).await(90, TimeUnit.SECONDS);
    return new BridgeFixture(process, config.getJsonObject("http").getJsonObject("bridge").getInteger("port"));
  }

  public Vertx vertx() {
    return process.vertx();
  }

  public Tenant tenant() throws Exception {
    JsonObject created = request(Addresses.TENANCY_CREATE_TENANT,
        new JsonObject().put("name", "bridge-" + UUID.randomUUID()).put("tier", "STANDARD"));
    return new Tenant(created.getString("tenantId"), created.getString("apiKey"));
  }

  /** A finding of a compliance rule for the tenant, as the rules stage sends it. */
  public JsonObject finding(Tenant tenant, String ruleId, String severity) {
    int n = ++findings;
    return new JsonObject().put("tenantId", tenant.tenantId()).put("ruleId", ruleId).put("severity", severity)
        .put("subject", new JsonObject().put("accountToken", "tk_acc" + n).put("contentId", "c" + n))
        .put("eventId", "ev-" + UUID.randomUUID()).put("occurredAt", Instant.now().toString())
        .put("dedupKey", ruleId + "|" + UUID.randomUUID())
        .put("evidence", new JsonObject().put("values", new JsonObject().put("n", n)))
        .put("explanation", "finding " + n + " of " + ruleId);
  }

  /** Raises findings through the alert store; returns the alerts it created or updated. */
  public JsonArray raise(Tenant tenant, JsonObject... findings) throws Exception {
    JsonObject reply = request(AlertAddresses.RAISE,
        new JsonObject().put("tenantId", tenant.tenantId()).put("findings", new JsonArray(List.of((Object[]) findings))));
    return reply.getJsonArray("alerts");
  }

  public JsonObject raiseOne(Tenant tenant, String ruleId, String severity) throws Exception {
    return raise(tenant, finding(tenant, ruleId, severity)).getJsonObject(0);
  }

  public JsonObject request(String address, Object body) throws Exception {
    return vertx().eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(30_000))
        .await(40, TimeUnit.SECONDS).body();
  }

  /** The value of a counter of the process's registry (0 when it does not exist yet). */
  public double counter(String name, String... tags) {
    Counter c = ProcessRuntime.of(vertx()).meters().find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() throws Exception {
    process.close().await(30, TimeUnit.SECONDS);
  }
}
