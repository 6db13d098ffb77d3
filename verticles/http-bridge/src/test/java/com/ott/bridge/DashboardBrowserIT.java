package com.ott.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.bridge.testing.BridgeFixture;
import com.ott.bridge.testing.BridgeFixture.Tenant;
import com.ott.bridge.testing.GraphQLClients;
import com.ott.bridge.testing.HeadlessChromium;
import com.ott.contract.AlertAddresses;
import com.ott.contract.RulesAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium: the page loads the official event-bus client (@vertx/eventbus-bridge-client.js
 * on sockjs-client), signs in with an API key, and shows the alerts that the pipeline (ingestion, event store, rules,
 * alert store) raises from playback events the test ingests through GraphQL; it acknowledges one through GraphQL,
 * survives a dropped connection by replaying what it missed, and leaves a screenshot in target/dashboard.png.
 */
class DashboardBrowserIT {
  private static BridgeFixture fixture;
  private static Vertx clients;
  private static WebClient web;

  @BeforeAll
  static void start() throws Exception {
    fixture = BridgeFixture.start(bridge -> { });
    clients = Vertx.vertx();
    web = GraphQLClients.web(clients, fixture.port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (clients != null) {
      clients.close().await(10, TimeUnit.SECONDS);
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonObject playback(String account, String content, String country) {
    return new JsonObject().put("eventId", "ev-" + UUID.randomUUID()).put("type", "playback.start")
        .put("occurredAt", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .put("accountId", account).put("deviceId", "dev-" + account).put("sessionId", "s-" + UUID.randomUUID())
        .put("contentId", content).put("country", country);
  }

  /** Ingests the events through GraphQL; the pipeline stores them, the rules evaluate them and raise alerts. */
  private static void ingest(Tenant tenant, JsonObject... events) throws Exception {
    JsonObject ingested = GraphQLClients.post(web, tenant.apiKey(),
        "mutation($e: [JSON!]!) { ingestEvents(events: $e) { accepted stored rejected { errors } } }",
        new JsonObject().put("e", new JsonArray(List.of((Object[]) events)))).bodyAsJsonObject();
    assertThat(ingested.getJsonObject("data").getJsonObject("ingestEvents").getInteger("stored")).as(ingested.encode())
        .isEqualTo(events.length);
  }

  /** The id of the tenant's alert about that account's playback, once the pipeline has raised it. */
  private static String alertOf(Tenant tenant, String contentId, String country) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      JsonArray items = fixture.request(AlertAddresses.LIST, new JsonObject().put("tenantId", tenant.tenantId())
          .put("ruleId", "geo_restriction")).getJsonArray("items");
      for (Object o : items) {
        JsonObject a = (JsonObject) o;
        if (contentId.equals(a.getJsonObject("subject").getString("contentId"))
            && country.equals(a.getJsonObject("evidence").getJsonObject("values").getString("country"))) {
          return a.getString("alertId");
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no geo_restriction alert for a playback in " + country);
  }

  @Test
  void the_dashboard_shows_alerts_live_acknowledges_them_and_catches_up_after_a_reconnect() throws Exception {
    Tenant tenant = fixture.tenant();
    // the tenant's catalogue, as PUT /api/v2/catalog hands it to the rules
    fixture.request(RulesAddresses.PUT_CATALOG, new JsonObject().put("tenantId", tenant.tenantId()).put("entries", new JsonArray()
        .add(new JsonObject().put("contentId", "us-only").put("title", "Licensed in the US").put("rating", "PG")
            .put("territories", new JsonArray().add("US")))));
    try (HeadlessChromium chromium = HeadlessChromium.launch(clients, 1280, 760)) {
      chromium.navigate("http://127.0.0.1:" + fixture.port + "/");
      assertThat(chromium.eval("typeof EventBus === 'function' && typeof SockJS === 'function'")).isEqualTo(true);

      chromium.eval("document.getElementById('api-key').value = 'ott_wrong'; document.getElementById('sign-in').click(); true");
      chromium.waitFor("!document.getElementById('error').hidden", 20);

      // API keys are URL-safe base64 and underscores: nothing to escape in a JavaScript string
      chromium.eval("document.getElementById('api-key').value = '" + tenant.apiKey() + "'; document.getElementById('sign-in').click(); true");
      chromium.waitFor("document.getElementById('status').dataset.state === 'live'", 30);

      // a playback outside the title's territory: geo_restriction, HIGH
      ingest(tenant, playback("acc-1", "us-only", "BR"));
      String first = alertOf(tenant, "us-only", "BR");
      chromium.waitFor("document.querySelector('tr[data-alert-id=\"" + first + "\"]')", 20);

      chromium.eval("document.querySelector('tr[data-alert-id=\"" + first + "\"] button.ack').click(); true");
      chromium.waitFor("document.querySelector('tr[data-alert-id=\"" + first + "\"]').dataset.status === 'ACKNOWLEDGED'", 20);
      JsonObject stored = fixture.request(AlertAddresses.GET, new JsonObject().put("tenantId", tenant.tenantId()).put("alertId", first));
      assertThat(stored.getString("status")).isEqualTo("ACKNOWLEDGED");
      assertThat(stored.getString("acknowledgedBy")).startsWith("api-key:");

      // the connection drops; an alert raised meanwhile arrives by replay once the client has reconnected
      double replayedBefore = fixture.counter("ott_bridge_replayed");
      chromium.eval("ottDashboard.dropConnection(); true");
      chromium.waitFor("document.getElementById('status').dataset.state === 'reconnecting'", 10);
      ingest(tenant, playback("acc-2", "us-only", "FR"));
      String second = alertOf(tenant, "us-only", "FR");
      chromium.waitFor("document.getElementById('status').dataset.state === 'live'", 30);
      chromium.waitFor("document.querySelector('tr[data-alert-id=\"" + second + "\"]')", 20);
      assertThat(fixture.counter("ott_bridge_replayed")).isGreaterThan(replayedBefore);

      // and the live stream goes on after the replay
      ingest(tenant, playback("acc-3", "us-only", "JP"));
      String third = alertOf(tenant, "us-only", "JP");
      chromium.waitFor("document.querySelector('tr[data-alert-id=\"" + third + "\"]')", 20);
      chromium.waitFor("document.querySelectorAll('#alerts tbody tr').length === 3", 10);

      Path shot = Path.of("target", "dashboard.png");
      chromium.screenshot(shot);
      assertThat(Files.size(shot)).isGreaterThan(10_000);
      assertThat(chromium.pageErrors).isEmpty();
    }
  }
}
