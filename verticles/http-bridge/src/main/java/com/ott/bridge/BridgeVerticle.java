package com.ott.bridge;

import com.ott.bridge.auth.OriginCheck;
import com.ott.bridge.auth.TenantResolver;
import com.ott.bridge.eventbus.EventBusBridge;
import com.ott.bridge.graphql.GraphQLApi;
import com.ott.bridge.topics.Topics;
import com.ott.runtime.ProcessRuntime;
import com.ott.runtime.Tls;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The http-bridge (port 8081, {@code http.bridge.*}): browsers and tools get alerts the moment they happen.
 * <ul>
 *   <li>{@code /eventbus}: the SockJS event-bus bridge, authenticated, per-tenant, with replay on reconnect
 *       ({@link EventBusBridge});</li>
 *   <li>{@code /graphql}: GraphQL over HTTP and graphql-transport-ws, {@code /graphiql} when enabled
 *       ({@link GraphQLApi});</li>
 *   <li>{@code /}: the dashboard, a static page using both.</li>
 * </ul>
 * Consumes {@code ott.alerts.<tenantId>} and {@code ott.metrics.<tenantId>} of the tenants with clients; asks
 * tenancy to resolve API keys, the alert store for alerts, reports and transitions, ingestion for events.
 */
public class BridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  static final String GRAPHQL_WS_PROTOCOL = "graphql-transport-ws";

  private HttpServer server;
  private Topics topics;

  @Override
  public Future<?> start() {
    BridgeSettings settings = BridgeSettings.of(config());
    MeterRegistry meters = ProcessRuntime.of(vertx).meters();
    TenantResolver resolver = new TenantResolver(vertx, settings.keyCacheMs(), settings.requestTimeoutMs());
    OriginCheck origins = new OriginCheck(settings.allowedOrigins());
    topics = new Topics(vertx, settings.replayEntries(), settings.replayAgeMs());
    Gauge.builder("ott_bridge_replay_buffered", topics, Topics::buffered)
        .description("alert messages held for replay").register(meters);

    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });

    EventBusBridge bridge = new EventBusBridge(vertx, resolver, origins, topics, settings.eventBus(), meters);
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions()
        .setHeartbeatInterval(settings.heartbeatMs())
        .setSessionTimeout(settings.sessionTimeoutMs())
        .setRegisterWriteHandler(false);
    // SockJS's polling and streaming transports send frames as POST bodies (xhr_send), read by a body handler;
    // clients send only small frames (register, ping)
    router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(65_536));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, sockJs).bridge(bridge.bridgeOptions(), bridge));

    new GraphQLApi(vertx, context, topics, resolver, origins, settings.graphql()).mount(router);

    router.route("/*").handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy",
          "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'");
      ctx.next();
    });
    router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));

    return vertx.createHttpServer(Tls.serverOptions(settings.listener())
            .setPort(settings.port())
            .setHost(settings.host())
            .setCompressionSupported(true)
            .setWebSocketSubProtocols(List.of(GRAPHQL_WS_PROTOCOL)))
        .requestHandler(router)
        .listen()
        .onSuccess(s -> {
          server = s;
          LOG.info("http-bridge listening on port {} (/eventbus, /graphql{}, /)", s.actualPort(),
              settings.graphql().graphiql() ? ", /graphiql" : "");
        });
  }

  @Override
  public Future<?> stop() {
    if (topics != null) {
      topics.closeAll();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
