package com.ott.scoring.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BucketBookTest {
  static final Resolution MINUTE = new Resolution("minute", 60);
  static final Resolution HOUR = new Resolution("hour", 3600);

  @Test
  void observations_are_summed_per_bucket_and_a_bucket_closes_after_its_end_and_the_grace() {
    BucketBook book = new BucketBook(List.of(MINUTE, HOUR), 5_000);
    book.add("t", "events.playback.start", 1_000, 1);
    book.add("t", "events.playback.start", 59_000, 2);
    book.add("t", "events.playback.start", 61_000, 4);
    assertThat(book.closeUntil(64_000)).isEmpty();
    List<BucketBook.Closed> closed = book.closeUntil(65_000);
    assertThat(closed).containsExactly(new BucketBook.Closed(new SeriesKey("t", "events.playback.start", MINUTE), 0, 3));
  }

  @Test
  void a_quiet_minute_closes_with_zero_and_late_observations_are_dropped() {
    BucketBook book = new BucketBook(List.of(MINUTE), 0);
    book.add("t", "s", 10_000, 1);
    book.add("t", "s", 130_000, 1);
    assertThat(book.closeUntil(180_000)).extracting(BucketBook.Closed::value).containsExactly(1.0, 0.0, 1.0);
    book.add("t", "s", 70_000, 1);
    assertThat(book.lateCount()).isEqualTo(1);
  }
}
