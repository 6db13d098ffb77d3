package com.ott.bridge.graphql;

import com.fasterxml.jackson.databind.util.RawValue;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import io.vertx.core.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one event of a shared subscription, encoded to JSON once for all its subscribers: graphql-transport-ws
 * encodes every {@code next} message it sends from {@link #toSpecification()}, which here holds the encoded parts as
 * raw JSON values, so a subscriber costs the encoding of the message's envelope only. That needs Vert.x's JSON codec
 * to be the jackson-databind one (it writes {@link RawValue}s as they are); otherwise results are passed on as they are.
 */
final class EncodedResult implements ExecutionResult {
  private static final boolean DATABIND = "io.vertx.core.json.jackson.DatabindCodec".equals(Json.CODEC.getClass().getName());

  private final ExecutionResult result;
  private final Map<String, Object> specification;

  private EncodedResult(ExecutionResult result) {
    this.result = result;
    Map<String, Object> spec = new LinkedHashMap<>();
    result.toSpecification().forEach((name, value) -> spec.put(name, new RawValue(Json.encode(value))));
    this.specification = java.util.Collections.unmodifiableMap(spec);
  }

  /** The result with its specification encoded once, or the result itself when the codec cannot write raw JSON. */
  static ExecutionResult of(ExecutionResult result) {
    return DATABIND ? new EncodedResult(result) : result;
  }

  @Override
  public List<GraphQLError> getErrors() {
    return result.getErrors();
  }

  @Override
  public <T> T getData() {
    return result.getData();
  }

  @Override
  public boolean isDataPresent() {
    return result.isDataPresent();
  }

  @Override
  public Map<Object, Object> getExtensions() {
    return result.getExtensions();
  }

  @Override
  public Map<String, Object> toSpecification() {
    return specification;
  }
}
