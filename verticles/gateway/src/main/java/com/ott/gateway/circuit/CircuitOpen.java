package com.ott.gateway.circuit;

/**
 * A call refused at once because the breaker of its service is open (or half-open with its probe under way):
 * answered 503 with {@code Retry-After} {@link #retryAfterSeconds()} without waiting for the service.
 */
public final class CircuitOpen extends RuntimeException {
  private final String service;
  private final long retryAfterSeconds;

  CircuitOpen(String service, long retryAfterSeconds) {
    super(service + " is unavailable (circuit open); retry after " + retryAfterSeconds + " s", null, false, false);
    this.service = service;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public String service() {
    return service;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The Retry-After value for a failed downstream call: the breaker's when it refused the call, else {@code otherwise}. */
  public static String retryAfter(Throwable failure, long otherwise) {
    return Long.toString(failure instanceof CircuitOpen open ? open.retryAfterSeconds() : otherwise);
  }
}
