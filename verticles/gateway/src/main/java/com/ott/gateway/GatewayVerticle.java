package com.ott.gateway;

import com.ott.contract.Failures;
import com.ott.gateway.alerts.AlertRoutes;
import com.ott.gateway.circuit.CircuitOpen;
import com.ott.gateway.circuit.Downstream;
import com.ott.gateway.ratelimit.RateLimitHandler;
import com.ott.gateway.usage.UsageMeter;
import com.ott.gateway.usage.UsageRoutes;
import com.ott.gateway.versions.ApiVersion;
import com.ott.runtime.OttConfig;
import com.ott.runtime.Tls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public REST edge (port 8080): authenticates callers (API keys and JWTs), checks their role, bounds
 * request sizes and hands requests to the other services over the bus, each behind its circuit breaker
 * ({@link Downstream}). Serves {@code /api/v2}, the deprecated {@code /api/v1} and the {@code /api/v3} preview
 * ({@link ApiVersion}); CORS for the origins of {@code http.gateway.corsOrigins}; every error is a problem document.
 */
public class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  private static final Set<String> CORS_REQUEST_HEADERS = Set.of("content-type", "content-encoding", "authorization",
      "x-api-key", "x-request-id");
  private static final Set<String> CORS_EXPOSED_HEADERS = Set.of("X-Request-Id", "Retry-After", "Location",
      "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy",
      "Deprecation", "Sunset", "Link", "X-API-Preview");

  private HttpServer server;
  private UsageMeter usageMeter;
  private long maxBatchBytes;

  @Override
  public Future<?> start() {
    JsonObject http = OttConfig.section(config(), "http.gateway");
    maxBatchBytes = OttConfig.section(config(), "ingest").getLong("maxBatchBytes", 10L * 1024 * 1024);
    long requestTimeoutMs = http.getLong("requestTimeoutMs", 30_000L);
    String token = OttConfig.section(config(), "admin").getString("token", "");
    byte[] adminToken = token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    Downstream downstream = Downstream.shared(vertx, config());
    TenantAuth auth = new TenantAuth(
        new ApiKeyAuth(vertx, downstream, OttConfig.section(config(), "auth").getLong("keyCacheSeconds", 30L) * 1000),
        JwtAuth.create(vertx, config()));

    Router router = Router.router(vertx);
    router.route().handler(RequestIds::handle);
    List<String> origins = OptionalKeys.list(config(), "http.gateway.corsOrigins");
    if (!origins.isEmpty()) {
      router.route().handler(cors(origins));
    }
    ApiVersion.mountHeaders(router);
    RateLimitHandler rateLimit = RateLimitHandler.create(vertx, config(), downstream);
    usageMeter = new UsageMeter(vertx, downstream, 5_000);
    TenantGuards guards = new TenantGuards(List.of(auth, rateLimit, usageMeter));
    new EventRoutes(downstream, usageMeter, maxBatchBytes, requestTimeoutMs).mount(router, guards);
    new AdminRoutes(downstream, adminToken).mount(router);
    new ReferenceRoutes(downstream).mount(router, guards);
    AlertRoutes.mount(router, guards, downstream);
    UsageRoutes.mount(router, auth, downstream, List.of(rateLimit, usageMeter));
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

  /** Browsers of these origins may call the API; credentials travel in headers, never cookies. */
  private static CorsHandler cors(List<String> origins) {
    CorsHandler cors = CorsHandler.create();
    if (!origins.contains("*")) {
      cors.addOrigins(origins);
    }
    return cors
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS))
        .allowedHeaders(CORS_REQUEST_HEADERS)
        .exposedHeaders(CORS_EXPOSED_HEADERS)
        .maxAgeSeconds(600);
  }

  static void downstreamFailed(RoutingContext ctx, Throwable err) {
    int status = Failures.statusOf(err);
    if (status >= 500) {
      if (err instanceof CircuitOpen open) {
        ctx.response().putHeader("Retry-After", Long.toString(open.retryAfterSeconds()));
        Problems.send(ctx, 503, open.service() + " is unavailable right now, so the gateway answers at once without "
            + "asking it; retry after " + open.retryAfterSeconds() + " s (retrying the same batch is always safe)");
        return;
      }
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
      case 403 -> failure != null && String.valueOf(failure.getMessage()).startsWith("CORS")
          ? "this origin may not call the API (http.gateway.corsOrigins)"
          : failure instanceof Failures.Rejection ? failure.getMessage() : null;
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
