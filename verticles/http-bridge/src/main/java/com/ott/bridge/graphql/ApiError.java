package com.ott.bridge.graphql;

import com.ott.contract.Failures;

/**
 * The error codes clients read in {@code errors[].extensions.code}: one per failure the API can give, derived from
 * the {@link Failures} status of a bus reply for the failures of the services behind it.
 */
public enum ApiError {
  BAD_USER_INPUT(400),
  UNAUTHENTICATED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  CONFLICT(409),
  PAYLOAD_TOO_LARGE(413),
  RATE_LIMITED(429),
  GRAPHQL_PARSE_FAILED(400),
  GRAPHQL_VALIDATION_FAILED(400),
  QUERY_TOO_DEEP(400),
  QUERY_TOO_COMPLEX(400),
  SLOW_CONSUMER(429),
  UNAVAILABLE(503),
  INTERNAL_SERVER_ERROR(500);

  private final int status;

  ApiError(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiError ofStatus(int status) {
    return switch (status) {
      case 400, 415 -> BAD_USER_INPUT;
      case 401 -> UNAUTHENTICATED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 429 -> RATE_LIMITED;
      default -> status >= 500 ? UNAVAILABLE : BAD_USER_INPUT;
    };
  }
}
