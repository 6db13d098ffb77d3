package com.ott.bridge.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

  private static List<Long> seqsFrom(ReplayBuffer b, ReplayBuffer.Resume r) {
    List<Long> out = new ArrayList<>();
    for (long a = r.fromArrival(); a < b.tail(); a++) {
      ReplayBuffer.Entry e = b.get(a);
      if (e != null && e.seq() > r.skipUpToSeq()) {
        out.add(e.seq());
      }
    }
    return out;
  }

  @Test
  void a_client_resumes_after_the_last_seq_it_received_in_arrival_order() {
    ReplayBuffer b = new ReplayBuffer(100, 120_000);
    for (long seq : new long[] {10, 11, 12, 13}) {
      b.append(seq, "f" + seq, 1000);
    }
    ReplayBuffer.Resume r = b.resumeAfter(11, 1000);
    assertThat(r.complete()).isTrue();
    assertThat(seqsFrom(b, r)).containsExactly(12L, 13L);
  }

  @Test
  void changes_published_slightly_out_of_seq_order_are_not_lost() {
    // two transactions: 20..21 committed after 22 was published
    ReplayBuffer b = new ReplayBuffer(100, 120_000);
    b.append(22, "f22", 0);
    b.append(20, "f20", 0);
    b.append(21, "f21", 0);
    // the client received 22 then disconnected: 20 and 21 arrived after it
    assertThat(seqsFrom(b, b.resumeAfter(22, 0))).containsExactly(20L, 21L);
  }

  @Test
  void the_buffer_keeps_at_most_max_entries_and_a_seq_it_no_longer_holds_is_an_incomplete_resume() {
    ReplayBuffer b = new ReplayBuffer(3, 120_000);
    for (long seq = 1; seq <= 5; seq++) {
      b.append(seq, "f" + seq, 0);
    }
    assertThat(b.size()).isEqualTo(3);
    assertThat(b.evicted()).isEqualTo(2);
    ReplayBuffer.Resume r = b.resumeAfter(1, 0);
    assertThat(r.complete()).isFalse();
    assertThat(seqsFrom(b, r)).containsExactly(3L, 4L, 5L);
  }

  @Test
  void entries_older_than_the_age_bound_are_dropped() {
    ReplayBuffer b = new ReplayBuffer(100, 120_000);
    b.append(1, "f1", 0);
    b.append(2, "f2", 60_000);
    b.append(3, "f3", 130_000);
    assertThat(b.size()).isEqualTo(2);
    b.expire(200_000);
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.resumeAfter(2, 200_000).complete()).isFalse();
  }

  @Test
  void the_same_seq_published_twice_is_kept_once() {
    ReplayBuffer b = new ReplayBuffer(100, 120_000);
    ReplayBuffer.Entry first = b.append(7, "f7", 0);
    ReplayBuffer.Entry again = b.append(7, "f7", 5);
    assertThat(again).isSameAs(first);
    assertThat(b.size()).isEqualTo(1);
  }
}
