package com.ott.bridge.graphql;

import com.ott.contract.Failures;
import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every GraphQL error carries {@code extensions.code} (an {@link ApiError}) and {@code extensions.status}: failures
 * of data fetchers are mapped here from their bus failure codes, and the errors graphql-java raises itself (syntax,
 * validation, aborted executions) get theirs before the result is sent. Internal details never reach the client.
 */
final class ErrorCodes extends SimplePerformantInstrumentation implements DataFetcherExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorCodes.class);

  /** A failure a resolver raises on purpose, with its code and a message safe to show. */
  static final class ApiException extends RuntimeException {
    final ApiError code;

    ApiException(ApiError code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  @Override
  public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters params) {
    Throwable error = unwrap(params.getException());
    ApiError code;
    String message;
    if (error instanceof ApiException api) {
      code = api.code;
      message = api.getMessage();
    } else if (error instanceof Failures.Rejection
        || (error instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE)) {
      int status = Failures.statusOf(error);
      code = ApiError.ofStatus(status);
      message = status >= 500 ? "a service behind the API is unavailable, retry later" : error.getMessage();
    } else if (error instanceof ReplyException) {
      code = ApiError.UNAVAILABLE;
      message = "a service behind the API did not answer in time, retry later";
    } else {
      code = ApiError.INTERNAL_SERVER_ERROR;
      message = "an unexpected error; it has been logged";
      LOG.error("GraphQL field {} failed", params.getPath(), error);
    }
    GraphQLError graphQLError = GraphqlErrorBuilder.newError()
        .message(message)
        .path(params.getPath())
        .location(params.getSourceLocation())
        .errorType(code == ApiError.INTERNAL_SERVER_ERROR || code == ApiError.UNAVAILABLE ? ErrorType.DataFetchingException
            : ErrorType.ValidationError)
        .extensions(extensions(code))
        .build();
    return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(graphQLError).build());
  }

  @Override
  public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
      InstrumentationExecutionParameters parameters, InstrumentationState state) {
    List<GraphQLError> errors = result.getErrors();
    if (errors.isEmpty() || errors.stream().allMatch(ErrorCodes::hasCode)) {
      return CompletableFuture.completedFuture(result);
    }
    List<GraphQLError> coded = new ArrayList<>(errors.size());
    for (GraphQLError e : errors) {
      coded.add(hasCode(e) ? e : GraphqlErrorBuilder.newError()
          .message(e.getMessage())
          .locations(e.getLocations())
          .path(e.getPath())
          .errorType(e.getErrorType())
          .extensions(extensions(codeOf(e)))
          .build());
    }
    return CompletableFuture.completedFuture(ExecutionResult.newExecutionResult()
        .data(result.getData())
        .errors(coded)
        .extensions(result.getExtensions())
        .build());
  }

  private static boolean hasCode(GraphQLError e) {
    return e.getExtensions() != null && e.getExtensions().get("code") != null;
  }

  private static ApiError codeOf(GraphQLError e) {
    ErrorClassification type = e.getErrorType();
    if (type == ErrorType.InvalidSyntax) {
      return ApiError.GRAPHQL_PARSE_FAILED;
    }
    if (type == ErrorType.ValidationError) {
      return ApiError.GRAPHQL_VALIDATION_FAILED;
    }
    if (e instanceof AbortExecutionException || type == ErrorType.ExecutionAborted) {
      return ApiError.BAD_USER_INPUT;
    }
    return ApiError.INTERNAL_SERVER_ERROR;
  }

  static Map<String, Object> extensions(ApiError code) {
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("code", code.name());
    ext.put("status", code.status());
    return ext;
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
