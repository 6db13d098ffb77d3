package com.ott.bridge.graphql;

import graphql.GraphQLError;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.Instrumentation;
import java.util.List;
import java.util.Map;

/**
 * Bounds on what one operation may ask, checked before anything runs: its depth, and its complexity where a list
 * field counts once per item it may return ({@code first}, {@code last}), so {@code alerts(first: 100) { edges {
 * node { audit(last: 50) ... } } }} costs what it would load. A query over a bound fails with
 * {@code QUERY_TOO_DEEP} or {@code QUERY_TOO_COMPLEX}.
 */
final class QueryLimits {
  private QueryLimits() {}

  /** Thrown instead of graphql-java's default abort, so that the error carries its code. */
  static final class LimitExceeded extends AbortExecutionException {
    private final ApiError code;

    LimitExceeded(ApiError code, String message) {
      super(message);
      this.code = code;
    }

    @Override
    public Map<String, Object> getExtensions() {
      return ErrorCodes.extensions(code);
    }

    @Override
    public List<GraphQLError> getUnderlyingErrors() {
      return List.of();
    }
  }

  static Instrumentation depth(int maxDepth) {
    return new MaxQueryDepthInstrumentation(maxDepth, info -> {
      throw new LimitExceeded(ApiError.QUERY_TOO_DEEP,
          "the query is " + info.getDepth() + " levels deep; at most " + maxDepth + " are allowed");
    });
  }

  static Instrumentation complexity(int maxComplexity) {
    FieldComplexityCalculator perItem = (env, childComplexity) -> {
      Object n = env.getArguments().getOrDefault("first", env.getArguments().get("last"));
      int items = n instanceof Number num ? Math.max(1, num.intValue()) : 1;
      long cost = (long) items * (1 + childComplexity);
      return (int) Math.min(Integer.MAX_VALUE / 4, cost);
    };
    return new MaxQueryComplexityInstrumentation(maxComplexity, perItem, info -> {
      throw new LimitExceeded(ApiError.QUERY_TOO_COMPLEX,
          "the query's complexity is " + info.getComplexity() + "; at most " + maxComplexity + " is allowed"
              + " (a list field counts once per item asked with first/last)");
    });
  }
}
