package com.ott.gateway;

import com.ott.contract.Addresses;
import com.ott.contract.Failures;
import com.ott.runtime.OttConfig;
import com.ott.gateway.alerts.AlertRoutes;
import com.ott.gateway.ratelimit.RateLimitHandler;
import com.ott.gateway.usage.UsageMeter;
import com.ott.gateway.usage.UsageRoutes;
import com.ott.runtime.Tls;
import java.util.List;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public REST edge (port 8080): authenticates callers, bounds request sizes
 * and hands batches to ingestion over the bus; every error is a problem document.
 */
public class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private HttpServer server;
  private UsageMeter usageMeter;
  private long maxBatchBytes;
  private long requestTimeoutMs;
  private byte[] adminToken;

  @Override
  public Future<?> start() {
    JsonObject http = OttConfig.section(config(), "http.gateway");
    maxBatchBytes = OttConfig.section(config(), "ingest").getLong("maxBatchBytes", 10L * 1024 * 1024);
    requestTimeoutMs = http.getLong("requestTimeoutMs", 30_000L);
    String token = OttConfig.section(config(), "admin").getString("token", "");
    adminToken = token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    ApiKeyAuth auth = new ApiKeyAuth(vertx, OttConfig.section(config(), "auth").getLong("keyCacheSeconds", 30L) * 1000);

    Router router = Router.router(vertx);
    router.route().handler(RequestIds::handle);
    // a route of its own: Vert.x Web runs body handlers before user handlers of the same route
    router.post("/api/v2/events").handler(this::checkEventsRequest);
    RateLimitHandler rateLimit = RateLimitHandler.create(vertx, config());
    usageMeter = new UsageMeter(vertx, 5_000);
    TenantGuards guards = new TenantGuards(List.of(auth, rateLimit, usageMeter));
    guards.on(router.post("/api/v2/events").handler(BodyHandler.create(false).setBodyLimit(maxBatchBytes)))
        .handler(this::postEvents);
    new AdminRoutes(vertx, adminToken).mount(router);
    new ReferenceRoutes(vertx).mount(router, guards);
    AlertRoutes.mount(router, guards, vertx);
    UsageRoutes.mount(router, auth, vertx, List.of(rateLimit, usageMeter));
    for (int status : new int[] {400, 401, 403, 404, 405, 406, 413, 415, 500, 503}) {
      router.errorHandler(status, ctx -> failed(ctx, status));
    }

    return vertx.createHttpServer(Tls.serverOptions(http)
            .setPort(http.getInteger("port", 8080))
            .setHost(http.getString("host", "0.0.0.0"))
            .setCompressionSupported(true)
            .setDecompressionSupported(true))
        .requestHandler(router)
        .listen()
        .onSuccess(s -> {
          server = s;
          LOG.info("gateway listening on port {}", s.actualPort());
        });
  }

  /** Rejects a wrong content type or a declared oversize body before reading it. */
  private void checkEventsRequest(RoutingContext ctx) {
    try {
      com.ott.contract.BatchFormat.of(ctx.request().getHeader("content-type"));
    } catch (Failures.Rejection r) {
      Problems.send(ctx, r.status(), r.getMessage());
      return;
    }
    String length = ctx.request().getHeader("content-length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBatchBytes) {
          Problems.send(ctx, 413, "a batch is at most " + maxBatchBytes + " bytes");
          return;
        }
      } catch (NumberFormatException e) {
        Problems.send(ctx, 400, "invalid Content-Length");
        return;
      }
    }
    ctx.next();
  }

  private void postEvents(RoutingContext ctx) {
    String tenantId = ctx.get(ApiKeyAuth.TENANT);
    Buffer body = ctx.body().buffer();
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(requestTimeoutMs)
        .addHeader("tenant-id", tenantId)
        .addHeader("content-type", ctx.request().getHeader("content-type"));
    vertx.eventBus().<JsonObject>request(Addresses.INGEST_HTTP_BATCH, body == null ? Buffer.buffer() : body, options)
        .onSuccess(reply -> {
          ctx.response().setStatusCode(202).putHeader("content-type", "application/json").end(reply.body().encode());
          usageMeter.recordBatch(tenantId, reply.body(), body == null ? 0 : body.length());
        })
        .onFailure(err -> downstreamFailed(ctx, err));
  }

  static void downstreamFailed(RoutingContext ctx, Throwable err) {
    int status = Failures.statusOf(err);
    if (status >= 500) {
      boolean timeout = err instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT;
      LOG.warn("request {} failed downstream: {}", ctx.<String>get(RequestIds.KEY), err.getMessage());
      ctx.response().putHeader("Retry-After", "2");
      Problems.send(ctx, 503, timeout
          ? "the request timed out inside the pipeline; nothing is lost by retrying the same batch"
          : "the pipeline is unavailable right now; retry the same batch later");
      return;
    }
    Problems.send(ctx, status, err.getMessage());
  }

  private void failed(RoutingContext ctx, int status) {
    Throwable failure = ctx.failure();
    if (status == 500 && failure != null) {
      LOG.error("request {} failed: {}", ctx.<String>get(RequestIds.KEY), failure.toString());
    }
    String detail = switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 413 -> "a batch is at most " + maxBatchBytes + " bytes";
      case 500 -> "an unexpected error; it has been logged with the request id";
      default -> failure != null && failure instanceof Failures.Rejection ? failure.getMessage() : null;
    };
    Problems.send(ctx, status == 500 && failure instanceof DecodeException ? 400 : status, detail);
  }

  @Override
  public Future<?> stop() {
    Future<Void> flushed = usageMeter == null ? Future.succeededFuture() : usageMeter.close();
    return flushed.compose(x -> server == null ? Future.succeededFuture() : server.close());
  }
}
