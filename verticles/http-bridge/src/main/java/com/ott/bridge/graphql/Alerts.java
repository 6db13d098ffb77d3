package com.ott.bridge.graphql;

import com.ott.bridge.graphql.ErrorCodes.ApiException;
import com.ott.contract.AlertAddresses;
import com.ott.contract.Failures;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Alerts over the alert store's bus API ({@link AlertAddresses}): the Relay connection {@code Query.alerts},
 * {@code Query.alert}, the audit trail and evidence events of an alert (through {@link Loaders}), and the
 * {@code acknowledgeAlert} / {@code resolveAlert} mutations, whose actor is the caller's API key id.
 */
final class Alerts {
  private final Bus bus;
  private final int maxFirst;

  Alerts(Bus bus, int maxFirst) {
    this.bus = bus;
    this.maxFirst = maxFirst;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Query", t -> t
        .dataFetcher("alerts", this::alerts)
        .dataFetcher("alert", this::alert));
    wiring.type("Mutation", t -> t
        .dataFetcher("acknowledgeAlert", env -> transition(env, AlertAddresses.ACK))
        .dataFetcher("resolveAlert", env -> transition(env, AlertAddresses.RESOLVE)));
    wiring.type("Alert", t -> t
        .dataFetcher("id", env -> json(env).getString("alertId"))
        .dataFetcher("count", env -> (int) Math.min(Integer.MAX_VALUE, json(env).getLong("count", 0L)))
        .dataFetcher("audit", this::audit)
        .dataFetcher("events", this::events));
    wiring.type("AuditEntry", t -> t.dataFetcher("id", env -> String.valueOf(json(env).getValue("auditId"))));
  }

  private CompletableFuture<Map<String, Object>> alerts(DataFetchingEnvironment env) {
    Caller caller = Caller.of(env);
    int first = env.getArgumentOrDefault("first", 20);
    if (first < 1 || first > maxFirst) {
      throw new ApiException(ApiError.BAD_USER_INPUT, "first: an integer from 1 to " + maxFirst);
    }
    JsonObject request = new JsonObject().put("tenantId", caller.tenantId()).put("limit", first);
    String after = env.getArgument("after");
    if (after != null) {
      request.put("cursor", after);
    }
    Map<String, Object> filter = env.getArgument("filter");
    if (filter != null) {
      for (String field : List.of("status", "severity", "ruleId", "from", "to")) {
        Object value = filter.get(field);
        if (value != null) {
          request.put(field, value.toString());
        }
      }
    }
    return bus.<JsonObject>request(AlertAddresses.LIST, request).thenApply(page -> {
      JsonArray items = page.getJsonArray("items");
      List<Map<String, Object>> edges = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        JsonObject alert = items.getJsonObject(i);
        Map<String, Object> edge = new LinkedHashMap<>();
        edge.put("cursor", cursorOf(alert));
        edge.put("node", alert);
        edges.add(edge);
      }
      Map<String, Object> pageInfo = new LinkedHashMap<>();
      pageInfo.put("hasNextPage", page.getString("nextCursor") != null);
      pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
      pageInfo.put("hasPreviousPage", after != null);
      pageInfo.put("startCursor", edges.isEmpty() ? null : edges.get(0).get("cursor"));
      Map<String, Object> connection = new LinkedHashMap<>();
      connection.put("edges", edges);
      connection.put("pageInfo", pageInfo);
      return connection;
    });
  }

  private CompletableFuture<JsonObject> alert(DataFetchingEnvironment env) {
    Caller caller = Caller.of(env);
    return bus.<JsonObject>request(AlertAddresses.GET,
            new JsonObject().put("tenantId", caller.tenantId()).put("alertId", env.getArgument("id")))
        .exceptionally(err -> {
          // another tenant's alert answers exactly like an unknown one
          if (Failures.statusOf(unwrap(err)) == Failures.NOT_FOUND) {
            return null;
          }
          throw err instanceof CompletionException c ? c : new CompletionException(err);
        });
  }

  private CompletableFuture<JsonObject> transition(DataFetchingEnvironment env, String address) {
    Caller caller = Caller.of(env);
    JsonObject request = new JsonObject()
        .put("tenantId", caller.tenantId())
        .put("alertId", env.getArgument("id"))
        .put("actor", caller.principal().actor());
    String note = env.getArgument("note");
    if (note != null) {
      request.put("note", note);
    }
    return bus.request(address, request);
  }

  private CompletableFuture<JsonObject> audit(DataFetchingEnvironment env) {
    int last = env.getArgumentOrDefault("last", 50);
    if (last < 1 || last > 1000) {
      throw new ApiException(ApiError.BAD_USER_INPUT, "last: an integer from 1 to 1000");
    }
    return Loaders.<Loaders.AuditKey>of(env, Loaders.AUDIT).load(new Loaders.AuditKey(json(env).getString("alertId"), last))
        .thenApply(trail -> new JsonObject().put("entries", trail.getJsonArray("items")).put("truncated", trail.getBoolean("truncated")));
  }

  private CompletableFuture<List<JsonObject>> events(DataFetchingEnvironment env) {
    int first = env.getArgumentOrDefault("first", 10);
    if (first < 1 || first > 50) {
      throw new ApiException(ApiError.BAD_USER_INPUT, "first: an integer from 1 to 50");
    }
    JsonArray ids = json(env).getJsonObject("evidence", new JsonObject()).getJsonArray("eventIds", new JsonArray());
    List<String> wanted = new ArrayList<>();
    // the newest evidence first: the store keeps them oldest first
    for (int i = ids.size() - 1; i >= 0 && wanted.size() < first; i--) {
      if (ids.getValue(i) instanceof String id) {
        wanted.add(id);
      }
    }
    return Loaders.<String>of(env, Loaders.EVENT).loadMany(wanted)
        .thenApply(found -> found.stream().filter(e -> e != null).toList());
  }

  /**
   * The cursor of the position after this alert, in the alert store's own cursor format (what it answers as
   * {@code nextCursor} and takes as {@code cursor}): base64url of {@code {"v":1,"t":firstSeenAt,"id":alertId}}.
   */
  static String cursorOf(JsonObject alert) {
    String json = new JsonObject().put("v", 1).put("t", alert.getString("firstSeenAt")).put("id", alert.getString("alertId")).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static JsonObject json(DataFetchingEnvironment env) {
    Object source = env.getSource();
    if (source instanceof JsonObject j) {
      return j;
    }
    if (source instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) m;
      return new JsonObject(map);
    }
    throw new IllegalStateException("unexpected source " + source);
  }

  static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
