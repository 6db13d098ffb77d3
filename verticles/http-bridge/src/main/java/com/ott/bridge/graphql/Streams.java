package com.ott.bridge.graphql;

import com.ott.bridge.topics.BrowserAddress;
import com.ott.bridge.topics.Topics;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Predicate;

/**
 * Subscriptions over graphql-transport-ws, fed by the same per-tenant topics as the SockJS bridge:
 * {@code alertRaised(minSeverity, ruleId)}, {@code alertChanged} and {@code metricUpdated(series)}.
 */
final class Streams {
  private static final List<String> SEVERITIES = List.of("LOW", "MEDIUM", "HIGH");

  private final Topics topics;
  private final Context context;
  private final int maxQueued;

  Streams(Topics topics, Context context, int maxQueued) {
    this.topics = topics;
    this.context = context;
    this.maxQueued = maxQueued;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Subscription", t -> t
        .dataFetcher("alertRaised", this::alertRaised)
        .dataFetcher("alertChanged", env -> publisher(env, BrowserAddress.Kind.ALERTS, alert -> true))
        .dataFetcher("metricUpdated", this::metricUpdated));
  }

  private TopicPublisher alertRaised(DataFetchingEnvironment env) {
    String min = env.getArgument("minSeverity");
    int minRank = min == null ? 0 : SEVERITIES.indexOf(min);
    String ruleId = env.getArgument("ruleId");
    return publisher(env, BrowserAddress.Kind.ALERTS, alert -> "OPEN".equals(alert.getString("status"))
        && SEVERITIES.indexOf(alert.getString("severity")) >= minRank
        && (ruleId == null || ruleId.equals(alert.getString("ruleId"))));
  }

  private TopicPublisher metricUpdated(DataFetchingEnvironment env) {
    String series = env.getArgument("series");
    return publisher(env, BrowserAddress.Kind.METRICS, metric -> series == null || series.equals(metric.getString("series")));
  }

  private TopicPublisher publisher(DataFetchingEnvironment env, BrowserAddress.Kind kind, Predicate<JsonObject> filter) {
    Caller caller = Caller.of(env);
    if (caller.socket() == null) {
      throw new ErrorCodes.ApiException(ApiError.BAD_USER_INPUT,
          "subscriptions run over WebSocket (graphql-transport-ws on /graphql), not over HTTP");
    }
    BrowserAddress address = new BrowserAddress(kind, caller.tenantId());
    // the source of an execution shared by every subscriber asking the same (SharedSubscriptions), which bounds
    // what waits for each of them: it is bound to no subscriber's socket
    return new TopicPublisher(topics, context, address.address(), address.replayable(), filter, maxQueued);
  }
}
