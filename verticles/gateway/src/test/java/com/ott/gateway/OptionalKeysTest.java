package com.ott.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings the YAML does not declare still follow the OTT_<PATH> environment convention. */
class OptionalKeysTest {

  @Test
  void the_configuration_wins_then_the_environment_then_nothing() {
    JsonObject config = new JsonObject().put("auth", new JsonObject().put("jwtSecret", "from-config"));
    Map<String, String> env = Map.of("OTT_AUTH_JWTSECRET", "from-env", "OTT_HTTP_GATEWAY_CORSORIGINS", "https://a.example, https://b.example");
    assertThat(OptionalKeys.text(config, "auth.jwtSecret", env)).isEqualTo("from-config");
    assertThat(OptionalKeys.text(new JsonObject(), "auth.jwtSecret", env)).isEqualTo("from-env");
    assertThat(OptionalKeys.text(new JsonObject(), "auth.jwtPublicKey", env)).isEmpty();
    assertThat(OptionalKeys.text(new JsonObject(), "http.gateway.corsOrigins", env)).isEqualTo("https://a.example, https://b.example");
  }

  @Test
  void a_list_is_comma_separated_text_or_a_yaml_list() {
    JsonObject text = new JsonObject().put("http", new JsonObject().put("gateway", new JsonObject().put("corsOrigins", " https://a.example ,,https://b.example ")));
    assertThat(OptionalKeys.list(text, "http.gateway.corsOrigins")).containsExactly("https://a.example", "https://b.example");
    JsonObject yaml = new JsonObject().put("http", new JsonObject().put("gateway", new JsonObject()
        .put("corsOrigins", new JsonArray().add("https://a.example"))));
    assertThat(OptionalKeys.list(yaml, "http.gateway.corsOrigins")).containsExactly("https://a.example");
    assertThat(OptionalKeys.list(new JsonObject().put("http", new JsonObject().put("gateway", new JsonObject().put("corsOrigins", ""))),
        "http.gateway.corsOrigins")).isEmpty();
  }
}
