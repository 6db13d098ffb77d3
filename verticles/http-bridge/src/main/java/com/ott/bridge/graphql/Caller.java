package com.ott.bridge.graphql;

import com.ott.bridge.auth.Principal;
import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;
import io.vertx.core.http.ServerWebSocket;

/**
 * Who runs an operation, put in the GraphQL context before execution: the tenant's principal and, over
 * graphql-transport-ws, the socket and the operation's id (so that subscriptions can write their events and bound
 * what waits to be sent on it).
 */
public record Caller(Principal principal, ServerWebSocket socket, String operationId) {
  public Caller(Principal principal, ServerWebSocket socket) {
    this(principal, socket, null);
  }

  public String tenantId() {
    return principal.tenantId();
  }

  public static Caller of(DataFetchingEnvironment env) {
    return of(env.getGraphQlContext());
  }

  public static Caller of(GraphQLContext context) {
    Caller caller = context.get(Caller.class);
    if (caller == null) {
      // every entry point authenticates first; reaching here is a wiring bug, not a client error
      throw new IllegalStateException("no caller in the GraphQL context");
    }
    return caller;
  }
}
