package com.ott.bridge.graphql;

import java.util.ArrayDeque;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A subscription whose items wait in a queue for the subscriber's demand, on one event loop: what the topic
 * subscriptions and the shared GraphQL executions' members have in common. Subclasses say how to reach their
 * event loop and what leaving means for them.
 */
abstract class QueuedSubscription<T> implements Subscription {
  final ArrayDeque<T> queue = new ArrayDeque<>();
  Subscriber<? super T> subscriber;
  long demand;
  boolean done;
  boolean draining;

  /** Runs {@code action} on the subscription's event loop (at once when already on it). */
  abstract void onLoop(Runnable action);

  /** Stops delivering for good and lets go of what the subscription holds; idempotent. */
  abstract void leave();

  @Override
  public void request(long n) {
    if (n <= 0) {
      onLoop(() -> {
        leave();
        subscriber.onError(new IllegalArgumentException("request must be positive"));
      });
      return;
    }
    onLoop(() -> {
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      drain();
    });
  }

  @Override
  public void cancel() {
    onLoop(this::leave);
  }

  /** Hands queued items to the subscriber while it has demand (not reentrant). */
  void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (!done && demand > 0 && !queue.isEmpty()) {
        demand--;
        subscriber.onNext(queue.poll());
      }
    } finally {
      draining = false;
    }
  }
}
