package com.ott.bridge.testing;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium}, or {@code OTT_CHROMIUM}) driven over the Chrome DevTools
 * Protocol: navigate, run JavaScript in the page, wait for a condition, take a screenshot. Started with the flags that
 * keep it off the network (no background networking, updates or sync) and a fresh profile.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final Path profile;
  private final WebSocketClient client;
  private final WebSocket page;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  /** Uncaught exceptions and console errors of the page. */
  public final List<String> pageErrors = new ArrayList<>();

  private HeadlessChromium(Process process, Path profile, WebSocketClient client, WebSocket page) {
    this.process = process;
    this.profile = profile;
    this.client = client;
    this.page = page;
  }

  public static String executable() {
    String configured = System.getenv("OTT_CHROMIUM");
    return configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium";
  }

  public static HeadlessChromium launch(Vertx vertx, int width, int height) throws Exception {
    if (!Files.isExecutable(Path.of(executable()))) {
      throw new IllegalStateException(executable() + " is missing: install Debian's chromium (apt-get install -y chromium)");
    }
    Path profile = Files.createTempDirectory("ott-chromium-");
    Process process = new ProcessBuilder(executable(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
        "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
        .redirectErrorStream(true).start();
    String browserUrl = null;
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.currentTimeMillis() + 60_000;
    String line;
    while (browserUrl == null && System.currentTimeMillis() < deadline && (line = out.readLine()) != null) {
      Matcher m = DEVTOOLS.matcher(line);
      if (m.find()) {
        browserUrl = m.group(1);
      }
    }
    if (browserUrl == null) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not start its DevTools endpoint");
    }
    // keep reading its output, so that it never blocks on a full pipe
    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "chromium-output");
    drain.setDaemon(true);
    drain.start();
    URI uri = URI.create(browserUrl);
    WebClient http = WebClient.create(vertx);
    JsonArray targets = http.get(uri.getPort(), "127.0.0.1", "/json/list").send().await(20, TimeUnit.SECONDS).bodyAsJsonArray();
    http.close();
    String pageUrl = targets.stream().map(t -> (JsonObject) t).filter(t -> "page".equals(t.getString("type")))
        .findFirst().orElseThrow().getString("webSocketDebuggerUrl");
    URI p = URI.create(pageUrl);
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(64 << 20).setMaxFrameSize(64 << 20));
    HeadlessChromium[] self = new HeadlessChromium[1];
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(p.getPort()).setURI(p.getPath()))
        .map(s -> {
          s.textMessageHandler(text -> self[0].onMessage(new JsonObject(text)));
          return s;
        }).await(20, TimeUnit.SECONDS);
    HeadlessChromium chromium = new HeadlessChromium(process, profile, client, ws);
    self[0] = chromium;
    chromium.call("Runtime.enable", new JsonObject());
    chromium.call("Page.enable", new JsonObject());
    chromium.call("Emulation.setDeviceMetricsOverride", new JsonObject().put("width", width).put("height", height)
        .put("deviceScaleFactor", 1).put("mobile", false));
    return chromium;
  }

  private void onMessage(JsonObject m) {
    Integer id = m.getInteger("id");
    if (id != null) {
      Promise<JsonObject> p = pending.remove(id);
      if (p != null) {
        if (m.containsKey("error")) {
          p.fail(m.getJsonObject("error").encode());
        } else {
          p.complete(m.getJsonObject("result"));
        }
      }
      return;
    }
    String method = m.getString("method", "");
    if (method.equals("Runtime.exceptionThrown")) {
      synchronized (pageErrors) {
        pageErrors.add(m.getJsonObject("params").getJsonObject("exceptionDetails").encode());
      }
    } else if (method.equals("Runtime.consoleAPICalled") && "error".equals(m.getJsonObject("params").getString("type"))) {
      synchronized (pageErrors) {
        pageErrors.add(m.getJsonObject("params").getJsonArray("args").encode());
      }
    }
  }

  public JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    Promise<JsonObject> result = Promise.promise();
    pending.put(id, result);
    page.writeTextMessage(new JsonObject().put("id", id).put("method", method).put("params", params).encode());
    return result.future().await(60, TimeUnit.SECONDS);
  }

  public void navigate(String url) throws Exception {
    call("Page.navigate", new JsonObject().put("url", url));
    waitFor("document.readyState === 'complete'", 30);
  }

  /** Evaluates an expression in the page (awaiting a promise), returning its JSON value. */
  public Object eval(String expression) throws Exception {
    JsonObject r = call("Runtime.evaluate", new JsonObject().put("expression", expression)
        .put("awaitPromise", true).put("returnByValue", true));
    if (r.containsKey("exceptionDetails")) {
      throw new IllegalStateException("page script failed: " + r.getJsonObject("exceptionDetails").encode());
    }
    return r.getJsonObject("result").getValue("value");
  }

  /** Waits until the expression is true in the page. */
  public void waitFor(String expression, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!Boolean.TRUE.equals(eval("!!(" + expression + ")"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true in the page within " + seconds + " s: " + expression);
      }
      Thread.sleep(100);
    }
  }

  public void screenshot(Path file) throws Exception {
    JsonObject shot = call("Page.captureScreenshot", new JsonObject().put("format", "png"));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(shot.getString("data")));
  }

  @Override
  public void close() throws Exception {
    try {
      page.close();
      client.close();
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
