package com.ott.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * What stands in front of every tenant route, in order: authentication (which names the tenant and the caller's
 * {@link Role}), the role the route needs, the tier's rate limit and quotas, and usage metering. The first handler
 * is authentication.
 */
public record TenantGuards(List<Handler<RoutingContext>> handlers) {

  public static TenantGuards of(Handler<RoutingContext> auth) {
    return new TenantGuards(List.of(auth));
  }

  /** Adds the guards to a route that any authenticated caller may use (after its body handler, if it has one). */
  public Route on(Route route) {
    handlers.forEach(route::handler);
    return route;
  }

  /** Adds the guards to a route that needs at least {@code minimum}; a refused caller uses up no rate or quota. */
  public Route on(Route route, Role minimum) {
    route.handler(handlers.get(0)).handler(Role.atLeast(minimum));
    handlers.subList(1, handlers.size()).forEach(route::handler);
    return route;
  }
}
