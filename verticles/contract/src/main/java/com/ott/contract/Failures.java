package com.ott.contract;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Failure codes carried by event-bus replies. They are HTTP status codes, so
 * the gateway turns a failed reply into a problem document without a table.
 */
public final class Failures {
  private Failures() {}

  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;
  public static final int PAYLOAD_TOO_LARGE = 413;
  public static final int UNSUPPORTED_MEDIA_TYPE = 415;
  public static final int UNAVAILABLE = 503;

  /** An error whose message is safe to show to the caller, with the status it maps to. */
  public static final class Rejection extends RuntimeException {
    private final int status;

    public Rejection(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  public static Rejection reject(int status, String message) {
    return new Rejection(status, message);
  }

  /** Replies to a bus message with the failure: a known rejection keeps its status, anything else is 503 without internals. */
  public static void replyFailure(Message<?> message, Throwable error) {
    if (error instanceof Rejection r) {
      message.fail(r.status(), r.getMessage());
    } else if (error instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() >= 400 && re.failureCode() < 500) {
      message.fail(re.failureCode(), re.getMessage());
    } else {
      message.fail(UNAVAILABLE, "a downstream service is unavailable, retry later");
    }
  }

  /** The HTTP status for a failed bus request. */
  public static int statusOf(Throwable error) {
    if (error instanceof Rejection r) {
      return r.status();
    }
    if (error instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() >= 400 && re.failureCode() < 600) {
      return re.failureCode();
    }
    return UNAVAILABLE;
  }
}
