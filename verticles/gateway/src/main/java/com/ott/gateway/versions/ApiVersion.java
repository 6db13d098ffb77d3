package com.ott.gateway.versions;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The versions of the REST API, served by the same handlers through small adapters: {@code /api/v2} is current;
 * {@code /api/v1} is deprecated (legacy flat events, offset pagination; every response says so in
 * {@code Deprecation}, {@code Sunset} and {@code Link} headers); {@code /api/v3} is a preview that may change
 * ({@code X-API-Preview: true}; 207 per-event results, lists as {@code {data, page}}).
 */
public enum ApiVersion {
  V1("/api/v1"), V2("/api/v2"), V3("/api/v3");

  /** Everything v2 serves is also served, the same or adapted, by v3. */
  public static final List<ApiVersion> CURRENT_AND_PREVIEW = List.of(V2, V3);

  /** RFC 9745: deprecated since 2026-01-01T00:00:00Z (a structured-field date, seconds since the epoch). */
  static final String DEPRECATION = "@1767225600";
  /** RFC 8594: v1 stops answering after this date. */
  static final String SUNSET = "Wed, 30 Jun 2027 23:59:59 GMT";
  static final String MIGRATION_GUIDE = "https://ott-compliance.dev/docs/migration-v1-v2";

  private final String prefix;

  ApiVersion(String prefix) {
    this.prefix = prefix;
  }

  /** The path of a resource in this version: {@code V1.path("/events")} is {@code /api/v1/events}. */
  public String path(String resource) {
    return prefix + resource;
  }

  /** Puts each version's headers on every response under its prefix, errors and unknown paths included. */
  public static void mountHeaders(Router router) {
    router.route(V1.path("/*")).handler(ApiVersion::deprecated);
    router.route(V3.path("/*")).handler(ctx -> {
      ctx.response().putHeader("X-API-Preview", "true");
      ctx.next();
    });
  }

  private static void deprecated(RoutingContext ctx) {
    ctx.response()
        .putHeader("Deprecation", DEPRECATION)
        .putHeader("Sunset", SUNSET)
        .putHeader("Link", "<" + MIGRATION_GUIDE + ">; rel=\"deprecation\"; type=\"text/html\"");
    ctx.next();
  }
}
