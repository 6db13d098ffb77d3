package com.ott.bridge;

import static com.ott.bridge.testing.SockJsBridgeClient.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.bridge.testing.BridgeFixture;
import com.ott.bridge.testing.BridgeFixture.Tenant;
import com.ott.bridge.testing.SockJsBridgeClient;
import com.ott.contract.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SockJS event-bus bridge against the real tenancy and alert store (PostgreSQL). */
class EventBusBridgeIT {
  private static BridgeFixture fixture;
  private static Vertx clients;
  private static Tenant alice;
  private static Tenant bob;

  @BeforeAll
  static void start() throws Exception {
    fixture = BridgeFixture.start(bridge -> bridge
        .put("pingTimeoutMs", 2000L)
        .put("maxQueuedFrames", 64)
        .put("maxQueuedBytes", 65_536L));
    clients = Vertx.vertx();
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

  private static SockJsBridgeClient client() throws Exception {
    return SockJsBridgeClient.connect(clients, fixture.port).pingEvery(500);
  }

  private static boolean isError(JsonObject frame) {
    return "err".equals(frame.getString("type"));
  }

  @Test
  void a_client_registered_with_its_key_receives_its_tenants_alerts_with_a_seq() throws Exception {
    try (SockJsBridgeClient c = client()) {
      double registered = registrations();
      c.register(Addresses.alerts(alice.tenantId()), key(alice.apiKey()));
      awaitCondition(() -> registrations() > registered, 20);
      JsonObject alert = fixture.raiseOne(alice, "geo_restriction", "HIGH");
      JsonObject frame = c.await(f -> "rec".equals(f.getString("type")), 20);
      assertThat(frame.getString("address")).isEqualTo("ott.alerts." + alice.tenantId());
      assertThat(frame.getJsonObject("body").getString("alertId")).isEqualTo(alert.getString("alertId"));
      assertThat(Long.parseLong(frame.getJsonObject("headers").getString("seq"))).isPositive();
    }
  }

  @Test
  void a_websocket_client_gets_frames_written_straight_to_its_websocket() throws Exception {
    double direct = fixture.counter("ott_bridge_sockets_opened", "writes", "websocket");
    try (SockJsBridgeClient c = client()) {
      c.register(Addresses.alerts(bob.tenantId()), key(bob.apiKey()));
      awaitCondition(() -> fixture.counter("ott_bridge_sockets_opened", "writes", "websocket") > direct, 20);
    }
  }

  @Test
  void a_client_on_xhr_polling_receives_its_alerts_through_the_sockjs_session() throws Exception {
    double throughSession = fixture.counter("ott_bridge_sockets_opened", "writes", "session");
    HttpClient http = clients.createHttpClient();
    String session = "/eventbus/" + (100 + (int) (Math.random() * 800)) + "/" + UUID.randomUUID().toString().replace("-", "");
    long pings = -1;
    try {
      assertThat(xhr(http, session + "/xhr", null).await(20, TimeUnit.SECONDS)).startsWith("o");
      assertThat(fixture.counter("ott_bridge_sockets_opened", "writes", "session")).isGreaterThan(throughSession);
      String ping = new JsonArray().add(new JsonObject().put("type", "ping").encode()).encode();
      pings = clients.setPeriodic(500, id -> xhr(http, session + "/xhr_send", ping));
      double registered = registrations();
      xhr(http, session + "/xhr_send", new JsonArray().add(new JsonObject().put("type", "register")
          .put("address", Addresses.alerts(alice.tenantId())).put("headers", key(alice.apiKey())).encode()).encode())
          .await(20, TimeUnit.SECONDS);
      awaitCondition(() -> registrations() > registered, 20);
      JsonObject alert = fixture.raiseOne(alice, "geo_restriction", "HIGH");
      JsonObject received = null;
      for (int poll = 0; poll < 20 && received == null; poll++) {
        String text = xhr(http, session + "/xhr", null).await(30, TimeUnit.SECONDS);
        if (text.startsWith("a")) {
          for (Object message : new JsonArray(text.substring(1).trim())) {
            JsonObject frame = new JsonObject((String) message);
            if ("rec".equals(frame.getString("type"))
                && alert.getString("alertId").equals(frame.getJsonObject("body").getString("alertId"))) {
              received = frame;
            }
          }
        }
      }
      assertThat(received).isNotNull();
      assertThat(Long.parseLong(received.getJsonObject("headers").getString("seq"))).isPositive();
    } finally {
      clients.cancelTimer(pings);
      http.close();
    }
  }

  /** One XHR of SockJS's polling transport: a POST, its body (a frame, or frames sent as a JSON array). */
  private static io.vertx.core.Future<String> xhr(HttpClient http, String uri, String body) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(fixture.port).setURI(uri))
        .compose(req -> body == null ? req.send() : req.putHeader("content-type", "text/plain").send(body))
        .compose(resp -> resp.body().map(b -> b.toString()));
  }

  @Test
  void a_socket_without_credentials_cannot_register() throws Exception {
    double before = fixture.counter("ott_bridge_refusals", "reason", "unauthenticated", "kind", "register");
    try (SockJsBridgeClient c = client()) {
      c.register(Addresses.alerts(alice.tenantId()), new JsonObject());
      JsonObject err = c.await(EventBusBridgeIT::isError, 20);
      assertThat(err.getString("failureType")).isEqualTo("UNAUTHENTICATED");
      assertThat(err.getInteger("failureCode")).isEqualTo(401);
      assertThat(c.await(EventBusBridgeIT::isError, 20).getString("body")).isEqualTo("rejected");
      c.register(Addresses.alerts(alice.tenantId()), key("ott_not_a_key"));
      assertThat(c.await(EventBusBridgeIT::isError, 20).getString("failureType")).isEqualTo("UNAUTHENTICATED");
      // nothing of the tenant reaches the refused socket
      fixture.raiseOne(alice, "captions_missing", "LOW");
      Thread.sleep(500);
      assertThat(c.drain()).noneMatch(f -> "rec".equals(f.getString("type")));
    }
    assertThat(fixture.counter("ott_bridge_refusals", "reason", "unauthenticated", "kind", "register")).isGreaterThanOrEqualTo(before + 2);
  }

  @Test
  void a_client_cannot_register_on_another_tenants_address_or_any_other_address() throws Exception {
    try (SockJsBridgeClient c = client()) {
      c.register(Addresses.alerts(bob.tenantId()), key(alice.apiKey()));
      JsonObject err = c.await(EventBusBridgeIT::isError, 20);
      assertThat(err.getString("failureType")).isEqualTo("ACCESS_DENIED");
      assertThat(err.getString("address")).isEqualTo(Addresses.alerts(bob.tenantId()));
      c.register(Addresses.STORE_EVENTS, key(alice.apiKey()));
      assertThat(c.await(f -> isError(f) && f.containsKey("failureType"), 20).getString("failureType")).isEqualTo("ACCESS_DENIED");
      fixture.raiseOne(bob, "geo_restriction", "HIGH");
      Thread.sleep(500);
      assertThat(c.drain()).noneMatch(f -> "rec".equals(f.getString("type")));
    }
  }

  @Test
  void a_send_or_publish_from_a_client_is_refused_and_never_reaches_the_bus() throws Exception {
    AtomicInteger reached = new AtomicInteger();
    String probe = "ott.store.bridge-probe";
    fixture.vertx().eventBus().consumer(probe, m -> reached.incrementAndGet()).completion().await(10, TimeUnit.SECONDS);
    double before = fixture.counter("ott_bridge_refusals", "reason", "inbound_refused", "kind", "send");
    try (SockJsBridgeClient c = client()) {
      c.send(probe, new JsonObject().put("tenantId", alice.tenantId()), key(alice.apiKey()), "0123456789");
      JsonObject err = c.await(f -> isError(f) && f.containsKey("failureType"), 20);
      assertThat(err.getString("failureType")).isEqualTo("ACCESS_DENIED");
      assertThat(err.getString("address")).isEqualTo("0123456789");
      c.send(Addresses.STORE_EVENTS, new JsonObject(), key(alice.apiKey()), null);
      c.publish(Addresses.alerts(alice.tenantId()), new JsonObject().put("forged", true), key(alice.apiKey()));
      c.await(f -> isError(f) && f.containsKey("failureType"), 20);
      c.await(f -> isError(f) && f.containsKey("failureType"), 20);
    }
    Thread.sleep(300);
    assertThat(reached.get()).isZero();
    assertThat(fixture.counter("ott_bridge_refusals", "reason", "inbound_refused", "kind", "send")).isEqualTo(before + 2);
  }

  @Test
  void an_access_token_on_the_url_authenticates_the_socket() throws Exception {
    try (SockJsBridgeClient c = SockJsBridgeClient.connect(clients, fixture.port, "access_token=" + alice.apiKey(), null).pingEvery(500)) {
      double registered = registrations();
      c.register(Addresses.alerts(alice.tenantId()), new JsonObject());
      awaitCondition(() -> registrations() > registered, 20);
      JsonObject alert = fixture.raiseOne(alice, "vpn_playback", "MEDIUM");
      assertThat(c.await(f -> "rec".equals(f.getString("type")), 20).getJsonObject("body").getString("alertId"))
          .isEqualTo(alert.getString("alertId"));
    }
    SockJsBridgeClient refused = SockJsBridgeClient.connect(clients, fixture.port, "access_token=ott_wrong", null);
    assertThat(refused.await(EventBusBridgeIT::isError, 20).getString("failureType")).isEqualTo("UNAUTHENTICATED");
    refused.closed().await(20, TimeUnit.SECONDS);
    refused.close();
  }

  @Test
  void a_socket_from_a_foreign_origin_is_refused() throws Exception {
    double before = fixture.counter("ott_bridge_refusals", "reason", "origin", "kind", "socket");
    SockJsBridgeClient c = SockJsBridgeClient.connect(clients, fixture.port, null, "https://evil.example");
    c.closed().await(20, TimeUnit.SECONDS);
    c.close();
    assertThat(fixture.counter("ott_bridge_refusals", "reason", "origin", "kind", "socket")).isEqualTo(before + 1);
  }

  @Test
  void a_client_that_reconnects_with_since_seq_gets_what_it_missed_in_order_then_the_live_stream() throws Exception {
    Tenant carol = fixture.tenant();
    String address = Addresses.alerts(carol.tenantId());
    long lastSeq;
    try (SockJsBridgeClient first = client()) {
      double registered = registrations();
      first.register(address, key(carol.apiKey()));
      awaitCondition(() -> registrations() > registered, 20);
      fixture.raiseOne(carol, "geo_restriction", "HIGH");
      fixture.raiseOne(carol, "geo_restriction", "HIGH");
      List<JsonObject> seen = first.messages(2, 20);
      lastSeq = seq(seen.get(1));
    }
    // raised while nobody of the tenant is connected
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      missed.add(fixture.raiseOne(carol, "parental_rating", "MEDIUM").getString("alertId"));
    }
    try (SockJsBridgeClient again = client()) {
      again.register(address, key(carol.apiKey()).put("since-seq", String.valueOf(lastSeq)));
      List<JsonObject> replayed = again.messages(5, 20);
      assertThat(replayed).extracting(f -> f.getJsonObject("body").getString("alertId")).containsExactlyElementsOf(missed);
      assertThat(replayed).extracting(EventBusBridgeIT::seq).isSorted().allMatch(s -> s > lastSeq);
      JsonObject live = fixture.raiseOne(carol, "kids_targeted_ad", "HIGH");
      JsonObject next = again.await(f -> "rec".equals(f.getString("type")), 20);
      assertThat(next.getJsonObject("body").getString("alertId")).isEqualTo(live.getString("alertId"));
      assertThat(again.drain()).noneMatch(f -> "rec".equals(f.getString("type")));
    }
  }

  @Test
  void a_seq_older_than_the_replay_window_is_reported_as_a_gap_then_what_is_left_follows() throws Exception {
    Tenant dave = fixture.tenant();
    String address = Addresses.alerts(dave.tenantId());
    try (SockJsBridgeClient first = client()) {
      double registered = registrations();
      first.register(address, key(dave.apiKey()));
      awaitCondition(() -> registrations() > registered, 20);
      fixture.raiseOne(dave, "geo_restriction", "HIGH");
      first.messages(1, 20);
    }
    JsonObject after = fixture.raiseOne(dave, "geo_restriction", "LOW");
    try (SockJsBridgeClient again = client()) {
      // a seq this bridge never held (e.g. from before a restart)
      again.register(address, key(dave.apiKey()).put("since-seq", "1"));
      JsonObject gap = again.await(EventBusBridgeIT::isError, 20);
      assertThat(gap.getString("failureType")).isEqualTo("REPLAY_GAP");
      assertThat(gap.getString("address")).isEqualTo(address);
      List<JsonObject> rest = again.messages(2, 20);
      assertThat(rest.get(1).getJsonObject("body").getString("alertId")).isEqualTo(after.getString("alertId"));
    }
  }

  @Test
  void a_client_that_stops_reading_is_disconnected_with_a_reason_instead_of_growing_server_memory() throws Exception {
    Tenant erin = fixture.tenant();
    String address = Addresses.alerts(erin.tenantId());
    double before = fixture.counter("ott_bridge_refusals", "reason", "slow_consumer", "kind", "socket");
    SockJsBridgeClient slow = SockJsBridgeClient.connect(clients, fixture.port).pingEvery(500);
    double registered = registrations();
    slow.register(address, key(erin.apiKey()));
    awaitCondition(() -> registrations() > registered, 20);
    slow.pause();
    // published straight on the tenant's address (as the store does, with a seq), large and fast
    String padding = "x".repeat(16_000);
    for (int i = 0; i < 2_000 && fixture.counter("ott_bridge_refusals", "reason", "slow_consumer", "kind", "socket") == before; i++) {
      fixture.vertx().eventBus().publish(address, new JsonObject().put("alertId", "a" + i).put("tenantId", erin.tenantId())
          .put("padding", padding), new DeliveryOptions().addHeader("seq", String.valueOf(1_000_000_000L + i)));
      if (i % 100 == 99) {
        Thread.sleep(20);
      }
    }
    awaitCondition(() -> fixture.counter("ott_bridge_refusals", "reason", "slow_consumer", "kind", "socket") > before, 30);
    slow.resume();
    JsonObject reason = slow.await(f -> isError(f) && "SLOW_CONSUMER".equals(f.getString("failureType")), 60);
    assertThat(reason.getString("message")).contains("since-seq");
    slow.closed().await(60, TimeUnit.SECONDS);
    slow.close();
  }

  @Test
  void a_client_that_stops_pinging_is_closed_after_the_ping_timeout() throws Exception {
    double before = fixture.counter("ott_bridge_refusals", "reason", "idle", "kind", "socket");
    SockJsBridgeClient quiet = SockJsBridgeClient.connect(clients, fixture.port);
    quiet.register(Addresses.alerts(alice.tenantId()), key(alice.apiKey()));
    quiet.closed().await(20, TimeUnit.SECONDS);
    quiet.close();
    assertThat(fixture.counter("ott_bridge_refusals", "reason", "idle", "kind", "socket")).isGreaterThan(before);
  }

  private static long seq(JsonObject frame) {
    return Long.parseLong(frame.getJsonObject("headers").getString("seq"));
  }

  private static double registrations() {
    return fixture.counter("ott_bridge_registrations");
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + seconds + " s");
      }
      Thread.sleep(50);
    }
  }
}
