package com.ott.bridge.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** GraphQL clients for tests: over HTTP, and over WebSocket speaking graphql-transport-ws. */
public final class GraphQLClients {
  private GraphQLClients() {}

  /** POST /graphql with an API key (null: none). */
  public static HttpResponse<Buffer> post(WebClient web, String apiKey, String query, JsonObject variables) throws Exception {
    var request = web.post("/graphql").putHeader("content-type", "application/json");
    if (apiKey != null) {
      request.putHeader("x-api-key", apiKey);
    }
    return request.sendJsonObject(new JsonObject().put("query", query).put("variables", variables == null ? new JsonObject() : variables))
        .await(40, TimeUnit.SECONDS);
  }

  public static WebClient web(Vertx vertx, int port) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  /**
   * A graphql-transport-ws client (the protocol of the graphql-ws library): {@code connection_init} with the
   * credentials payload, {@code connection_ack}, then {@code subscribe} / {@code next} / {@code error} /
   * {@code complete}, answering server pings.
   */
  public static final class WsClient implements AutoCloseable {
    private final WebSocketClient client;
    private WebSocket socket;
    private final Promise<Void> acked = Promise.promise();
    private final Promise<String> closed = Promise.promise();
    private final Map<String, LinkedBlockingQueue<JsonObject>> byId = new ConcurrentHashMap<>();

    private WsClient(Vertx vertx) {
      this.client = vertx.createWebSocketClient();
    }

    public static WsClient connect(Vertx vertx, int port, String origin) throws Exception {
      WsClient c = new WsClient(vertx);
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/graphql")
          .setSubProtocols(List.of("graphql-transport-ws"));
      if (origin != null) {
        options.addHeader("origin", origin);
      }
      c.socket = c.client.connect(options).map(ws -> {
        ws.textMessageHandler(c::onText);
        ws.closeHandler(v -> c.closed.tryComplete(ws.closeStatusCode() + " " + ws.closeReason()));
        return ws;
      }).await(20, TimeUnit.SECONDS);
      return c;
    }

    public String subProtocol() {
      return socket.subProtocol();
    }

    /** Sends connection_init with this payload; returns once acknowledged (fails if the server closes instead). */
    public WsClient init(JsonObject payload) throws Exception {
      send(new JsonObject().put("type", "connection_init").put("payload", payload));
      Future.any(acked.future(), closed.future()).await(20, TimeUnit.SECONDS);
      if (!acked.future().succeeded()) {
        throw new IllegalStateException("not acknowledged: " + closed.future().result());
      }
      return this;
    }

    public void sendInit(JsonObject payload) {
      send(new JsonObject().put("type", "connection_init").put("payload", payload));
    }

    public void subscribe(String id, String query, JsonObject variables) {
      byId.computeIfAbsent(id, k -> new LinkedBlockingQueue<>());
      send(new JsonObject().put("id", id).put("type", "subscribe")
          .put("payload", new JsonObject().put("query", query).put("variables", variables == null ? new JsonObject() : variables)));
    }

    public void complete(String id) {
      send(new JsonObject().put("id", id).put("type", "complete"));
    }

    /** The next message (next, error or complete) of an operation. */
    public JsonObject next(String id, long seconds) throws InterruptedException {
      JsonObject m = byId.computeIfAbsent(id, k -> new LinkedBlockingQueue<>()).poll(seconds, TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("no message for operation " + id + " within " + seconds + " s");
      }
      return m;
    }

    /** The next message of an operation if one comes within the time, else null. */
    public JsonObject poll(String id, long millis) throws InterruptedException {
      return byId.computeIfAbsent(id, k -> new LinkedBlockingQueue<>()).poll(millis, TimeUnit.MILLISECONDS);
    }

    public Future<String> closed() {
      return closed.future();
    }

    private void onText(String text) {
      JsonObject m = new JsonObject(text);
      switch (m.getString("type")) {
        case "connection_ack" -> acked.tryComplete();
        case "ping" -> send(new JsonObject().put("type", "pong"));
        case "next", "error", "complete" -> byId.computeIfAbsent(m.getString("id"), k -> new LinkedBlockingQueue<>()).add(m);
        default -> { }
      }
    }

    private void send(JsonObject m) {
      socket.writeTextMessage(m.encode());
    }

    @Override
    public void close() {
      if (socket != null && !socket.isClosed()) {
        socket.close();
      }
      client.close();
    }
  }
}
