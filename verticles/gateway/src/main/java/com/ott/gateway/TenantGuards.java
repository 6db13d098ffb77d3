package com.ott.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * What stands in front of every tenant route, in order: authentication (which
 * names the tenant), the tier's rate limit and quotas, and usage metering.
 */
public record TenantGuards(List<Handler<RoutingContext>> handlers) {

  public static TenantGuards of(Handler<RoutingContext> auth) {
    return new TenantGuards(List.of(auth));
  }

  /** Adds the guards to a route (after its body handler, if it has one). */
  public Route on(Route route) {
    handlers.forEach(route::handler);
    return route;
  }
}
