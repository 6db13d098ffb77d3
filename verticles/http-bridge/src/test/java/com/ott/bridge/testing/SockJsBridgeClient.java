package com.ott.bridge.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The event-bus bridge protocol as the official JS client speaks it, over SockJS's WebSocket transport
 * ({@code /eventbus/<server>/<session>/websocket}, frames {@code o}, {@code h}, {@code a[...]}, {@code c[...]}):
 * register, unregister, send, publish, ping. Every bridge frame received is queued for the test to await.
 */
public final class SockJsBridgeClient implements AutoCloseable {
  private final WebSocketClient client;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final Promise<String> closed = Promise.promise();
  private WebSocket socket;
  private long pingTimer = -1;
  private final Vertx vertx;

  private SockJsBridgeClient(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 24));
  }

  /** Connects; {@code query} (e.g. {@code access_token=...}) is appended to the SockJS URL when given. */
  public static SockJsBridgeClient connect(Vertx vertx, int port, String query, String origin) throws Exception {
    SockJsBridgeClient c = new SockJsBridgeClient(vertx);
    String uri = "/eventbus/" + (100 + (int) (Math.random() * 800)) + "/" + UUID.randomUUID().toString().replace("-", "")
        + "/websocket" + (query == null ? "" : "?" + query);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    if (origin != null) {
      options.addHeader("origin", origin);
    }
    Promise<Void> opened = Promise.promise();
    // handlers set on the event loop as the socket opens: the server's first frame may follow at once
    c.socket = c.client.connect(options).map(ws -> {
      ws.textMessageHandler(text -> c.onText(text, opened));
      ws.closeHandler(v -> c.closed.tryComplete("socket closed"));
      return ws;
    }).await(20, TimeUnit.SECONDS);
    opened.future().await(20, TimeUnit.SECONDS);
    return c;
  }

  public static SockJsBridgeClient connect(Vertx vertx, int port) throws Exception {
    return connect(vertx, port, null, null);
  }

  private void onText(String text, Promise<Void> opened) {
    if (text.equals("o")) {
      opened.tryComplete();
    } else if (text.startsWith("a")) {
      for (Object f : new JsonArray(text.substring(1))) {
        frames.add(new JsonObject((String) f));
      }
    } else if (text.startsWith("c")) {
      closed.tryComplete(text.substring(1));
    }
  }

  public void write(JsonObject frame) {
    socket.writeTextMessage(new JsonArray().add(frame.encode()).encode());
  }

  /** Pings every {@code periodMs}, as the JS client does every 5 s. */
  public SockJsBridgeClient pingEvery(long periodMs) {
    write(new JsonObject().put("type", "ping"));
    pingTimer = vertx.setPeriodic(periodMs, id -> write(new JsonObject().put("type", "ping")));
    return this;
  }

  public void register(String address, JsonObject headers) {
    write(new JsonObject().put("type", "register").put("address", address).put("headers", headers));
  }

  public void send(String address, JsonObject body, JsonObject headers, String replyAddress) {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("headers", headers).put("body", body);
    if (replyAddress != null) {
      frame.put("replyAddress", replyAddress);
    }
    write(frame);
  }

  public void publish(String address, JsonObject body, JsonObject headers) {
    write(new JsonObject().put("type", "publish").put("address", address).put("headers", headers).put("body", body));
  }

  /** The next frame matching, waiting at most {@code seconds}; frames before it are dropped. */
  public JsonObject await(Predicate<JsonObject> match, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (f == null) {
        throw new AssertionError("no matching bridge frame within " + seconds + " s");
      }
      if (match.test(f)) {
        return f;
      }
    }
  }

  /** The next {@code n} messages ({@code rec} frames), in order. */
  public List<JsonObject> messages(int n, long seconds) throws InterruptedException {
    List<JsonObject> out = new ArrayList<>();
    while (out.size() < n) {
      out.add(await(f -> "rec".equals(f.getString("type")), seconds));
    }
    return out;
  }

  /** Frames received and not yet awaited, without waiting. */
  public List<JsonObject> drain() {
    List<JsonObject> out = new ArrayList<>();
    frames.drainTo(out);
    return out;
  }

  /** Stops reading from the network: the server's writes pile up in its buffers, as with a stalled client. */
  public void pause() {
    socket.pause();
  }

  public void resume() {
    socket.resume();
  }

  public Future<String> closed() {
    return closed.future();
  }

  @Override
  public void close() {
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
    if (socket != null && !socket.isClosed()) {
      socket.close();
    }
    client.close();
  }

  public static JsonObject key(String apiKey) {
    return new JsonObject().put("x-api-key", apiKey);
  }
}
