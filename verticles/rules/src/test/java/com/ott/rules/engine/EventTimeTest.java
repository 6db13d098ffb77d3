package com.ott.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventTimeTest {

  @Test
  void agreesWithJavaTimeOnRandomTimestamps() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      long millis = rnd.nextLong(-2_000_000_000_000L, 8_000_000_000_000L);
      Instant t = Instant.ofEpochMilli(millis);
      assertThat(EventTime.parseMillis(t.toString())).isEqualTo(millis);
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(rnd.nextInt(-14 * 4, 14 * 4 + 1) * 900);
      String withOffset = OffsetDateTime.ofInstant(t, offset).toString();
      assertThat(EventTime.parseMillis(withOffset)).as(withOffset).isEqualTo(Instant.parse(withOffset).toEpochMilli());
    }
  }

  @Test
  void acceptsTheOtherRfc3339Spellings() {
    assertThat(EventTime.parseMillis("2025-03-05t10:00:00z")).isEqualTo(Instant.parse("2025-03-05T10:00:00Z").toEpochMilli());
    assertThat(EventTime.parseMillis("2025-03-05 10:00:00.123456789+01:00"))
        .isEqualTo(Instant.parse("2025-03-05T09:00:00.123Z").toEpochMilli());
  }

  @Test
  void rejectsWhatIsNotATimestamp() {
    assertThatThrownBy(() -> EventTime.parseMillis("2025-02-30T10:00:00Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> EventTime.parseMillis("yesterday")).isInstanceOf(DateTimeParseException.class);
  }
}
