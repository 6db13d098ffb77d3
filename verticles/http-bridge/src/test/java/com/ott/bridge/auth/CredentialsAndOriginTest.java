package com.ott.bridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsAndOriginTest {

  @Test
  void a_key_comes_from_x_api_key_or_a_bearer_authorization_in_any_case() {
    assertThat(Credentials.fromJson(new JsonObject().put("X-Api-Key", " k1 "))).isEqualTo("k1");
    assertThat(Credentials.fromJson(new JsonObject().put("Authorization", "bearer k2"))).isEqualTo("k2");
    assertThat(Credentials.fromJson(new JsonObject().put("authorization", "Basic abc"))).isNull();
    assertThat(Credentials.fromJson(new JsonObject().put("x-api-key", 12))).isNull();
    assertThat(Credentials.fromHeaders(MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer k3"))).isEqualTo("k3");
    assertThat(Credentials.fromQuery("/eventbus/1/a/websocket?x=1&access_token=ott_a%2Bb")).isEqualTo("ott_a+b");
    assertThat(Credentials.fromQuery("/eventbus/1/a/websocket")).isNull();
  }

  @Test
  void only_the_bridges_own_origin_and_configured_ones_may_open_sockets() {
    OriginCheck check = new OriginCheck(List.of("https://dash.example.com"));
    assertThat(check.permits(headers("http://127.0.0.1:8081", "127.0.0.1:8081"))).isTrue();
    assertThat(check.permits(headers("https://ott.example", "ott.example"))).isTrue();
    assertThat(check.permits(headers("https://dash.example.com", "bridge.internal:8081"))).isTrue();
    assertThat(check.permits(headers("https://evil.example", "127.0.0.1:8081"))).isFalse();
    assertThat(check.permits(headers("http://127.0.0.1:9999", "127.0.0.1:8081"))).isFalse();
    assertThat(check.permits(headers("null", "127.0.0.1:8081"))).isFalse();
    assertThat(check.permits(headers(null, "127.0.0.1:8081"))).isTrue();
    assertThat(new OriginCheck(List.of("*")).permits(headers("https://anything.example", "x"))).isTrue();
  }

  private static MultiMap headers(String origin, String host) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("host", host);
    if (origin != null) {
      h.add("origin", origin);
    }
    return h;
  }
}
