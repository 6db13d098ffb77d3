package com.ott.bridge.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphqlErrorBuilder;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NextMessagesTest {

  /** How vertx-web-graphql's graphql-transport-ws handler writes a next message for a result. */
  private static String handlersMessage(String id, ExecutionResult result) {
    return new JsonObject().put("id", id).put("type", "next").put("payload", new JsonObject(result.toSpecification())).toString();
  }

  @Test
  void a_next_message_built_from_a_shared_payload_is_the_one_the_handler_writes() {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("id", "a1");
    alert.put("severity", "HIGH");
    alert.put("explanation", "played in \"BR\" \u2028 where it is not licensed");
    alert.put("evidence", Map.of("values", Map.of("country", "BR")));
    alert.put("tags", List.of("x", 2, true));
    ExecutionResult result = ExecutionResultImpl.newExecutionResult().data(Map.of("alertRaised", alert))
        .addError(GraphqlErrorBuilder.newError().message("partial").build()).build();
    String payload = NextMessages.payload(result);

    for (String id : List.of("1", "sub \"7\"", "\u00e9")) {
      String ours = NextMessages.message(NextMessages.prefix(id), payload);
      assertThat(ours).isEqualTo(handlersMessage(id, result));
      assertThat(new JsonObject(ours).getString("id")).isEqualTo(id);
    }
  }
}
