package com.ott.bridge.replay;

import com.ott.bridge.eventbus.SockJsWire;
import java.util.HashMap;
import java.util.Map;

/**
 * The recent messages of one address, for clients that reconnect: at most {@code maxEntries}, none older
 * than {@code maxAgeMillis} (like Socket.IO's connection state recovery, two minutes by default).
 *
 * <p>Entries are kept in arrival order and numbered by arrival; each carries the publisher's {@code seq}.
 * A client names the last seq it received; it missed exactly what arrived here after that message, which is
 * also right when two publishers' changes arrive slightly out of seq order. When that seq is no longer (or
 * never was) here, what is left with a greater seq is replayed and the replay is marked incomplete.
 *
 * <p>Not thread-safe: a buffer belongs to one verticle's event loop.
 */
public final class ReplayBuffer {

  /**
   * One buffered message: its arrival number, publisher seq, the frame to write (the bridge's JSON envelope), the
   * same escaped for SockJS ({@link SockJsWire#escape}) and when it arrived.
   */
  public record Entry(long arrival, long seq, String frame, String escaped, long atMillis) {}

  /** Where a reconnecting client resumes: the first arrival to send, the seqs to skip, and whether nothing is lost. */
  public record Resume(long fromArrival, long skipUpToSeq, boolean complete) {}

  private final Entry[] ring;
  private final long maxAgeMillis;
  private final Map<Long, Long> arrivalBySeq = new HashMap<>();
  // arrival number of the oldest entry held, and of the next entry to come
  private long head;
  private long tail;
  private long evicted;

  public ReplayBuffer(int maxEntries, long maxAgeMillis) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.ring = new Entry[maxEntries];
    this.maxAgeMillis = maxAgeMillis;
  }

  /** Adds a message; the oldest one goes when the buffer is full. A seq already held is not added twice. */
  public Entry append(long seq, String frame, long nowMillis) {
    return append(seq, frame, SockJsWire.escape(frame), nowMillis);
  }

  /** {@link #append(long, String, long)} with the frame already escaped for SockJS. */
  public Entry append(long seq, String frame, String escaped, long nowMillis) {
    Long known = arrivalBySeq.get(seq);
    if (known != null) {
      return get(known);
    }
    expire(nowMillis);
    if (size() == ring.length) {
      evictOldest();
    }
    Entry entry = new Entry(tail, seq, frame, escaped, nowMillis);
    ring[slot(tail)] = entry;
    arrivalBySeq.put(seq, tail);
    tail++;
    return entry;
  }

  /** Drops the entries older than the age bound. */
  public void expire(long nowMillis) {
    while (head < tail && nowMillis - ring[slot(head)].atMillis() > maxAgeMillis) {
      evictOldest();
    }
  }

  /** Where a client that last received {@code sinceSeq} resumes. */
  public Resume resumeAfter(long sinceSeq, long nowMillis) {
    expire(nowMillis);
    Long arrival = arrivalBySeq.get(sinceSeq);
    if (arrival != null) {
      return new Resume(arrival + 1, Long.MIN_VALUE, true);
    }
    return new Resume(head, sinceSeq, false);
  }

  /** The entry of that arrival number, or null when it is gone or not yet there. */
  public Entry get(long arrival) {
    if (arrival < head || arrival >= tail) {
      return null;
    }
    return ring[slot(arrival)];
  }

  /** Arrival number of the oldest entry held (equal to {@link #tail()} when empty). */
  public long head() {
    return head;
  }

  /** Arrival number the next entry will get. */
  public long tail() {
    return tail;
  }

  public int size() {
    return (int) (tail - head);
  }

  /** Entries dropped so far, by count or age. */
  public long evicted() {
    return evicted;
  }

  private void evictOldest() {
    int s = slot(head);
    Entry oldest = ring[s];
    ring[s] = null;
    arrivalBySeq.remove(oldest.seq(), oldest.arrival());
    head++;
    evicted++;
  }

  private int slot(long arrival) {
    return (int) (arrival % ring.length);
  }
}
