package com.ott.bridge.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphqlErrorBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodedResultTest {

  /** How graphql-transport-ws (vertx-web-graphql) writes a next message from a result. */
  private static String nextMessage(String id, ExecutionResult result) {
    return new JsonObject().put("id", id).put("type", "next").put("payload", new JsonObject(result.toSpecification())).toString();
  }

  @Test
  void a_result_encoded_once_makes_the_same_next_message_as_the_result_itself() {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("id", "a1");
    alert.put("severity", "HIGH");
    alert.put("explanation", "played in \"BR\" \u2028 where it is not licensed");
    alert.put("evidence", Map.of("values", Map.of("country", "BR", "n", 3)));
    alert.put("tags", List.of("x", 2, true));
    Map<String, Object> data = Map.of("alertRaised", alert);
    ExecutionResult plain = ExecutionResultImpl.newExecutionResult().data(data)
        .addError(GraphqlErrorBuilder.newError().message("partial").build()).build();

    ExecutionResult encoded = EncodedResult.of(plain);

    assertThat(encoded).isNotSameAs(plain);
    String expected = nextMessage("7", plain);
    assertThat(nextMessage("7", encoded)).isEqualTo(expected);
    assertThat(new JsonObject(nextMessage("7", encoded)).getJsonObject("payload").getJsonArray("errors"))
        .isEqualTo(new JsonArray().add(new JsonObject(expected).getJsonObject("payload").getJsonArray("errors").getValue(0)));
    assertThat((Object) encoded.getData()).isSameAs(data);
  }
}
