package com.ott.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.contract.BatchFormat;
import com.ott.contract.Failures;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchParserTest {
  private final BatchParser parser = new BatchParser(3, 100);

  private static int statusOf(Runnable r) {
    try {
      r.run();
      return 0;
    } catch (Failures.Rejection e) {
      return e.status();
    }
  }

  @Test
  void a_json_array_gives_one_item_per_element() {
    List<BatchParser.Item> items = parser.parse(Buffer.buffer("[{\"a\":1},{\"b\":2}]"), BatchFormat.JSON);
    assertThat(items).hasSize(2);
    assertThat(items.get(1).index()).isEqualTo(1);
    assertThat(items.get(1).event().get("b").intValue()).isEqualTo(2);
  }

  @Test
  void a_single_object_is_a_batch_of_one() {
    assertThat(parser.parse(Buffer.buffer("{\"a\":1}"), BatchFormat.JSON)).hasSize(1);
  }

  @Test
  void non_object_elements_are_rejected_alone() {
    List<BatchParser.Item> items = parser.parse(Buffer.buffer("[1, {\"a\":1}, [2]]"), BatchFormat.JSON);
    assertThat(items.get(0).error()).contains("must be a JSON object, not a number");
    assertThat(items.get(1).event()).isNotNull();
    assertThat(items.get(2).error()).contains("not an array");
  }

  @Test
  void an_oversized_element_is_rejected_alone() {
    String big = "{\"x\":\"" + "y".repeat(200) + "\"}";
    List<BatchParser.Item> items = parser.parse(Buffer.buffer("[" + big + ",{\"a\":1}]"), BatchFormat.JSON);
    assertThat(items.get(0).error()).contains("exceeds the limit of 100");
    assertThat(items.get(1).event()).isNotNull();
    List<BatchParser.Item> lines = parser.parse(Buffer.buffer(big + "\n{\"a\":1}"), BatchFormat.NDJSON);
    assertThat(lines.get(0).error()).contains("exceeds the limit of 100");
    assertThat(lines.get(1).event()).isNotNull();
  }

  @Test
  void malformed_json_rejects_the_whole_array() {
    assertThat(statusOf(() -> parser.parse(Buffer.buffer("[{\"a\":}]"), BatchFormat.JSON))).isEqualTo(400);
    assertThat(statusOf(() -> parser.parse(Buffer.buffer("[{\"a\":1}"), BatchFormat.JSON))).isEqualTo(400);
    assertThat(statusOf(() -> parser.parse(Buffer.buffer("\"text\""), BatchFormat.JSON))).isEqualTo(400);
    assertThat(statusOf(() -> parser.parse(Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}), BatchFormat.JSON))).isEqualTo(400);
  }

  @Test
  void ndjson_lines_fail_one_by_one() {
    List<BatchParser.Item> items = parser.parse(Buffer.buffer("{\"a\":1}\n{oops\n\n  \n{\"c\":3} trailing\r\n"), BatchFormat.NDJSON);
    assertThat(items).hasSize(3);
    assertThat(items.get(0).event()).isNotNull();
    assertThat(items.get(1).error()).startsWith("event: malformed JSON");
    assertThat(items.get(2).error()).startsWith("event: malformed JSON");
  }

  @Test
  void too_many_events_is_413() {
    assertThat(statusOf(() -> parser.parse(Buffer.buffer("[{},{},{},{}]"), BatchFormat.JSON))).isEqualTo(413);
    assertThat(statusOf(() -> parser.parse(Buffer.buffer("{}\n{}\n{}\n{}"), BatchFormat.NDJSON))).isEqualTo(413);
  }

  @Test
  void an_empty_body_is_400() {
    assertThat(statusOf(() -> parser.parse(Buffer.buffer(""), BatchFormat.JSON))).isEqualTo(400);
    assertThat(statusOf(() -> parser.parse(Buffer.buffer(" \n\t"), BatchFormat.NDJSON))).isEqualTo(400);
  }

  @Test
  void deeply_nested_input_is_refused_without_crashing() {
    String deep = "[" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "]";
    BatchParser lenient = new BatchParser(3, 1_000_000);
    int status = statusOf(() -> lenient.parse(Buffer.buffer(deep), BatchFormat.JSON));
    assertThat(status).isIn(0, 400);
  }

  @Test
  void content_types_are_negotiated() {
    assertThat(BatchFormat.of("application/json; charset=utf-8")).isEqualTo(BatchFormat.JSON);
    assertThat(BatchFormat.of("application/x-ndjson")).isEqualTo(BatchFormat.NDJSON);
    assertThatThrownBy(() -> BatchFormat.of("text/csv")).isInstanceOf(Failures.Rejection.class);
  }
}
