package com.ott.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.bridge.testing.BridgeFixture;
import com.ott.bridge.testing.BridgeFixture.Tenant;
import com.ott.bridge.testing.GraphQLClients;
import com.ott.bridge.testing.GraphQLClients.WsClient;
import com.ott.contract.AlertAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GraphQL over HTTP and graphql-transport-ws against the real tenancy, alert store and ingestion (PostgreSQL). */
class GraphQLApiIT {
  private static final String NODE = "id ruleId severity status count firstSeenAt lastSeenAt";
  private static BridgeFixture fixture;
  private static Vertx clients;
  private static WebClient web;
  private static Tenant alice;
  private static Tenant bob;

  @BeforeAll
  static void start() throws Exception {
    fixture = BridgeFixture.start(bridge -> bridge.getJsonObject("graphql").put("maxDepth", 8).put("maxComplexity", 5000));
    clients = Vertx.vertx();
    web = GraphQLClients.web(clients, fixture.port);
    alice = fixture.tenant();
    bob = fixture.tenant();
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

  private static JsonObject query(Tenant tenant, String query, JsonObject variables) throws Exception {
    HttpResponse<Buffer> r = GraphQLClients.post(web, tenant.apiKey(), query, variables);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static JsonObject data(Tenant tenant, String query, JsonObject variables) throws Exception {
    JsonObject body = query(tenant, query, variables);
    assertThat(body.getJsonArray("errors")).as(body.encode()).isNull();
    return body.getJsonObject("data");
  }

  private static String code(JsonObject body) {
    return body.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
  }

  @Test
  void alerts_are_a_relay_connection_paged_with_first_and_after() throws Exception {
    Tenant t = fixture.tenant();
    for (int i = 0; i < 5; i++) {
      fixture.raiseOne(t, "geo_restriction", i % 2 == 0 ? "HIGH" : "LOW");
    }
    String q = "query($after: String) { alerts(first: 2, after: $after) { edges { cursor node { " + NODE
        + " } } pageInfo { hasNextPage endCursor } } }";
    JsonObject page1 = data(t, q, new JsonObject()).getJsonObject("alerts");
    assertThat(page1.getJsonArray("edges")).hasSize(2);
    assertThat(page1.getJsonObject("pageInfo").getBoolean("hasNextPage")).isTrue();
    String end = page1.getJsonObject("pageInfo").getString("endCursor");
    assertThat(end).isEqualTo(page1.getJsonArray("edges").getJsonObject(1).getString("cursor"));
    JsonObject page2 = data(t, q, new JsonObject().put("after", end)).getJsonObject("alerts");
    JsonObject page3 = data(t, q, new JsonObject().put("after", page2.getJsonObject("pageInfo").getString("endCursor")))
        .getJsonObject("alerts");
    assertThat(page3.getJsonArray("edges")).hasSize(1);
    assertThat(page3.getJsonObject("pageInfo").getBoolean("hasNextPage")).isFalse();
    JsonObject node = page1.getJsonArray("edges").getJsonObject(0).getJsonObject("node");
    assertThat(node.getString("status")).isEqualTo("OPEN");
    assertThat(node.getInteger("count")).isEqualTo(1);

    JsonObject high = data(t, "{ alerts(first: 10, filter: {severity: HIGH, ruleId: \"geo_restriction\"}) { edges { node { severity } } } }",
        null).getJsonObject("alerts");
    assertThat(high.getJsonArray("edges")).hasSize(3);

    JsonObject badCursor = query(t, "{ alerts(after: \"nonsense\") { edges { cursor } } }", null);
    assertThat(code(badCursor)).isEqualTo("BAD_USER_INPUT");
    assertThat(code(query(t, "{ alerts(first: 1000) { edges { cursor } } }", null))).isEqualTo("BAD_USER_INPUT");
  }

  @Test
  void acknowledge_and_resolve_keep_the_note_and_the_actor_in_the_audit_trail() throws Exception {
    JsonObject alert = fixture.raiseOne(alice, "parental_rating", "MEDIUM");
    String id = alert.getString("alertId");
    JsonObject acked = data(alice, "mutation($id: ID!) { acknowledgeAlert(id: $id, note: \"looking\") { id status acknowledgedBy } }",
        new JsonObject().put("id", id)).getJsonObject("acknowledgeAlert");
    assertThat(acked.getString("status")).isEqualTo("ACKNOWLEDGED");
    assertThat(acked.getString("acknowledgedBy")).startsWith("api-key:");
    JsonObject again = query(alice, "mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }", new JsonObject().put("id", id));
    assertThat(code(again)).isEqualTo("CONFLICT");
    data(alice, "mutation($id: ID!) { resolveAlert(id: $id, note: \"fixed the licence\") { status } }", new JsonObject().put("id", id));
    JsonObject trail = data(alice, "query($id: ID!) { alert(id: $id) { status audit { truncated entries { action actor note statusAfter } } } }",
        new JsonObject().put("id", id)).getJsonObject("alert");
    assertThat(trail.getString("status")).isEqualTo("RESOLVED");
    JsonArray entries = trail.getJsonObject("audit").getJsonArray("entries");
    assertThat(entries.stream().map(e -> ((JsonObject) e).getString("action")).toList())
        .containsExactly("created", "acknowledged", "resolved");
    assertThat(entries.getJsonObject(2).getString("note")).isEqualTo("fixed the licence");
  }

  @Test
  void another_tenants_alerts_are_invisible_and_untouchable() throws Exception {
    JsonObject alert = fixture.raiseOne(alice, "kids_targeted_ad", "HIGH");
    String id = alert.getString("alertId");
    assertThat(data(bob, "query($id: ID!) { alert(id: $id) { id } }", new JsonObject().put("id", id)).getValue("alert")).isNull();
    assertThat(code(query(bob, "mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }", new JsonObject().put("id", id))))
        .isEqualTo("NOT_FOUND");
    JsonArray bobs = data(bob, "{ alerts(first: 100) { edges { node { id } } } }", null).getJsonObject("alerts").getJsonArray("edges");
    assertThat(bobs.stream().map(e -> ((JsonObject) e).getJsonObject("node").getString("id")).toList()).doesNotContain(id);
    assertThat(data(alice, "query($id: ID!) { alert(id: $id) { status } }", new JsonObject().put("id", id))
        .getJsonObject("alert").getString("status")).isEqualTo("OPEN");
  }

  @Test
  void without_a_valid_key_the_api_answers_401_with_a_code() throws Exception {
    HttpResponse<Buffer> none = GraphQLClients.post(web, null, "{ tenant { id } }", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(code(none.bodyAsJsonObject())).isEqualTo("UNAUTHENTICATED");
    HttpResponse<Buffer> wrong = GraphQLClients.post(web, "ott_wrong", "{ tenant { id } }", null);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(code(query(alice, "subscription { alertRaised { id } }", null))).isEqualTo("BAD_USER_INPUT");
  }

  @Test
  void the_tenant_its_usage_invoices_and_compliance_report_are_the_callers_own() throws Exception {
    JsonObject d = data(alice, "{ tenant { id tier plan } usage { from to totals { eventsAccepted } } invoices { currency invoices { month status total } }"
        + " complianceReport(from: \"2020-01-01T00:00:00Z\", to: \"2020-02-01T00:00:00Z\") { events { total } violations { alerts } csv } }", null);
    assertThat(d.getJsonObject("tenant").getString("id")).isEqualTo(alice.tenantId());
    assertThat(d.getJsonObject("tenant").getJsonObject("plan").getString("tier")).isEqualTo("STANDARD");
    assertThat(d.getJsonObject("invoices").getJsonArray("invoices")).isNotEmpty();
    assertThat(d.getJsonObject("complianceReport").getJsonObject("events").getInteger("total")).isZero();
    assertThat(d.getJsonObject("complianceReport").getString("csv")).startsWith("section,key,severity,metric,value");
  }

  @Test
  void rule_settings_are_read_and_overridden_per_tenant() throws Exception {
    Tenant t = fixture.tenant();
    JsonObject before = data(t, "{ ruleSettings { rules { id enabled severity } } }", null).getJsonObject("ruleSettings");
    assertThat(before.getJsonArray("rules").stream().map(r -> ((JsonObject) r).getString("id")).toList())
        .contains("geo_restriction", "vpn_playback", "kids_targeted_ad");
    JsonObject updated = data(t, "mutation($o: JSON!) { updateRuleSettings(overrides: $o) { overrides rules { id enabled } } }",
        new JsonObject().put("o", new JsonObject().put("rules", new JsonObject().put("vpn_playback",
            new JsonObject().put("enabled", false))))).getJsonObject("updateRuleSettings");
    assertThat(updated.getJsonArray("rules").stream().map(r -> (JsonObject) r)
        .filter(r -> r.getString("id").equals("vpn_playback")).findFirst().orElseThrow().getBoolean("enabled")).isFalse();
    JsonObject invalid = query(t, "mutation($o: JSON!) { updateRuleSettings(overrides: $o) { overrides } }",
        new JsonObject().put("o", new JsonObject().put("rules", new JsonObject().put("vpn_playback",
            new JsonObject().put("severity", "CATASTROPHIC")))));
    assertThat(code(invalid)).isEqualTo("BAD_USER_INPUT");
    // another tenant keeps the defaults
    JsonObject other = data(bob, "{ ruleSettings { rules { id enabled } } }", null).getJsonObject("ruleSettings");
    assertThat(other.getJsonArray("rules").stream().map(r -> (JsonObject) r)
        .filter(r -> r.getString("id").equals("vpn_playback")).findFirst().orElseThrow().getBoolean("enabled")).isTrue();
  }

  @Test
  void ingest_events_validates_like_rest_and_stores_the_valid_ones() throws Exception {
    String run = UUID.randomUUID().toString();
    JsonObject good = new JsonObject().put("eventId", run + "-0").put("type", "playback.start").put("occurredAt", "2026-11-25T10:00:00Z")
        .put("accountId", "acc-1").put("sessionId", "s-1").put("contentId", "c-1").put("country", "US");
    JsonObject bad = good.copy().put("eventId", run + "-1").put("occurredAt", "yesterday");
    JsonObject result = data(alice, "mutation($events: [JSON!]!) { ingestEvents(events: $events) { accepted stored duplicates rejected { index eventId errors } } }",
        new JsonObject().put("events", new JsonArray().add(good).add(bad))).getJsonObject("ingestEvents");
    assertThat(result.getInteger("accepted")).isEqualTo(1);
    assertThat(result.getInteger("stored")).isEqualTo(1);
    assertThat(result.getJsonArray("rejected")).hasSize(1);
    assertThat(result.getJsonArray("rejected").getJsonObject(0).getInteger("index")).isEqualTo(1);
    assertThat(result.getJsonArray("rejected").getJsonObject(0).encode()).contains("occurredAt: not an RFC 3339 timestamp");
    JsonObject event = data(alice, "query($id: ID!) { event(id: $id) { id type country } }", new JsonObject().put("id", run + "-0"))
        .getJsonObject("event");
    assertThat(event.getString("country")).isEqualTo("US");
    assertThat(data(bob, "query($id: ID!) { event(id: $id) { id } }", new JsonObject().put("id", run + "-0")).getValue("event")).isNull();
  }

  @Test
  void too_deep_and_too_complex_queries_are_refused_with_codes_before_anything_runs() throws Exception {
    JsonObject deep = query(alice, "{ alerts { edges { node { audit { entries { id } } events { id } } } pageInfo { hasNextPage } } "
        + "a: alerts { edges { node { subject { contentId } } } } }", null);
    assertThat(deep.getJsonArray("errors")).isNull();
    JsonObject tooDeep = query(alice, "{ alerts { edges { node { audit { entries { details } } } } } "
        + "t: __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }", null);
    assertThat(code(tooDeep)).isEqualTo("QUERY_TOO_DEEP");
    JsonObject tooComplex = query(alice, "{ alerts(first: 100) { edges { node { id audit(last: 100) { entries { id action actor } } } } } }", null);
    assertThat(code(tooComplex)).isEqualTo("QUERY_TOO_COMPLEX");
    assertThat(tooComplex.getValue("data")).isNull();
    assertThat(code(query(alice, "{ alerts { nope } }", null))).isEqualTo("GRAPHQL_VALIDATION_FAILED");
    assertThat(code(query(alice, "{ alerts { ", null))).isEqualTo("GRAPHQL_PARSE_FAILED");
  }

  @Test
  void audit_trails_of_a_page_are_loaded_together_each_alert_once() throws Exception {
    Tenant t = fixture.tenant();
    for (int i = 0; i < 4; i++) {
      fixture.raiseOne(t, "captions_missing", "LOW");
    }
    AtomicInteger audits = new AtomicInteger();
    AtomicInteger tenants = new AtomicInteger();
    io.vertx.core.Handler<DeliveryContext<Object>> count = dc -> {
      if (AlertAddresses.AUDIT.equals(dc.message().address())) {
        audits.incrementAndGet();
      } else if (com.ott.contract.Addresses.TENANCY_GET_TENANT.equals(dc.message().address())) {
        tenants.incrementAndGet();
      }
      dc.next();
    };
    fixture.vertx().eventBus().addOutboundInterceptor(count);
    try {
      JsonObject d = data(t, "{ a: alerts(first: 10) { edges { node { id audit { entries { action } } } } } "
          + "b: alerts(first: 10) { edges { node { id audit { entries { actor } } } } } t1: tenant { id } t2: tenant { name } }", null);
      assertThat(d.getJsonObject("a").getJsonArray("edges")).hasSize(4);
      // 2 x 4 audit fields, 4 distinct alerts: one request per alert; the tenant asked twice, loaded once
      assertThat(audits.get()).isEqualTo(4);
      assertThat(tenants.get()).isEqualTo(1);
    } finally {
      fixture.vertx().eventBus().removeOutboundInterceptor(count);
    }
  }

  @Test
  void alert_raised_is_a_graphql_transport_ws_subscription_filtered_by_severity_and_tenant() throws Exception {
    try (WsClient ws = WsClient.connect(clients, fixture.port, null)) {
      assertThat(ws.subProtocol()).isEqualTo("graphql-transport-ws");
      ws.init(new JsonObject().put("x-api-key", alice.apiKey()));
      ws.subscribe("1", "subscription { alertRaised(minSeverity: MEDIUM) { id ruleId severity status } }", null);
      ws.subscribe("2", "subscription { alertChanged { id status } }", null);
      // subscriptions start asynchronously: wait until a probe alert is seen, then check filtering
      awaitSubscribed(ws, "2");
      fixture.raiseOne(alice, "captions_missing", "LOW");
      fixture.raiseOne(bob, "geo_restriction", "HIGH");
      JsonObject high = fixture.raiseOne(alice, "geo_restriction", "HIGH");
      JsonObject next = ws.next("1", 20);
      assertThat(next.getString("type")).isEqualTo("next");
      JsonObject raised = next.getJsonObject("payload").getJsonObject("data").getJsonObject("alertRaised");
      assertThat(raised.getString("id")).isEqualTo(high.getString("alertId"));
      assertThat(raised.getString("severity")).isEqualTo("HIGH");
      ws.complete("1");
      data(alice, "mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }", new JsonObject().put("id", high.getString("alertId")));
      JsonObject changed;
      do {
        changed = ws.next("2", 20).getJsonObject("payload").getJsonObject("data").getJsonObject("alertChanged");
      } while (!"ACKNOWLEDGED".equals(changed.getString("status")));
      assertThat(changed.getString("id")).isEqualTo(high.getString("alertId"));
    }
  }

  @Test
  void a_websocket_without_valid_credentials_or_from_a_foreign_origin_is_refused() throws Exception {
    try (WsClient ws = WsClient.connect(clients, fixture.port, null)) {
      ws.sendInit(new JsonObject().put("x-api-key", "ott_wrong"));
      assertThat(ws.closed().await(20, TimeUnit.SECONDS)).startsWith("4401");
    }
    try (WsClient ws = WsClient.connect(clients, fixture.port, null)) {
      ws.sendInit(new JsonObject().put("authorization", "Bearer " + bob.apiKey()));
      ws.subscribe("x", "subscription { alertRaised { id } }", null);
      // bob's own stream works with the Bearer form
      awaitSubscribedWith(ws, "x", bob);
    }
    assertThatThrownBy(() -> WsClient.connect(clients, fixture.port, "https://evil.example"));
  }

  private static void assertThatThrownBy(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    org.assertj.core.api.Assertions.assertThatThrownBy(call).hasMessageContaining("403");
  }

  /** Raises probes until one arrives on the subscription: it is registered from then on. */
  private static void awaitSubscribed(WsClient ws, String id) throws Exception {
    awaitSubscribedWith(ws, id, alice);
  }

  private static void awaitSubscribedWith(WsClient ws, String id, Tenant tenant) throws Exception {
    for (int i = 0; i < 40; i++) {
      fixture.raiseOne(tenant, "probe", "LOW");
      if (ws.poll(id, 500) != null) {
        while (ws.poll(id, 300) != null) {
          // drain the probes
        }
        return;
      }
    }
    throw new AssertionError("the subscription never started");
  }
}
