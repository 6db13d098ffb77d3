package com.ott.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** {@code /metrics}, {@code /health/live} and {@code /health/ready} of a process (port 9400 by default). */
public final class OpsServer {
  private OpsServer() {}

  public static Future<HttpServer> start(Vertx vertx, ProcessRuntime runtime, JsonObject opsConfig) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(runtime.prometheus()));
    router.get("/health/live").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", "UP").encode()));
    router.get("/health/ready").handler(ctx -> runtime.readiness().check(2000).onComplete(ar -> {
      JsonObject body = ar.succeeded() ? ar.result() : new JsonObject().put("status", "DOWN");
      ctx.response().setStatusCode("UP".equals(body.getString("status")) ? 200 : 503)
          .putHeader("content-type", "application/json").end(body.encode());
    }));
    HttpServerOptions options = Tls.serverOptions(opsConfig)
        .setPort(opsConfig.getInteger("port", 9400))
        .setHost(opsConfig.getString("host", "0.0.0.0"));
    return vertx.createHttpServer(options).requestHandler(router).listen();
  }
}
