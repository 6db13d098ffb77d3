package com.ott.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Environment overrides (the product's {@code OTT_*} variables) that point a
 * process under test at the test services, on free ports, outside any cluster.
 */
public final class TestEnvironment {
  public static final String ADMIN_TOKEN = "test-admin-token-" + UUID.randomUUID();

  private TestEnvironment() {}

  /** Variables for a single-JVM, non-clustered process with PostgreSQL and Redis (Kafka left unconfigured). */
  public static Map<String, String> base() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("OTT_PG_URL", TestServices.pgUrl());
    env.put("OTT_REDIS_URL", TestServices.redisUrl());
    env.put("OTT_KAFKA_BOOTSTRAP", "");
    env.put("OTT_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("OTT_CLUSTER_ENABLED", "false");
    env.put("OTT_OPS_PORT", String.valueOf(freePort()));
    env.put("OTT_HTTP_GATEWAY_PORT", String.valueOf(freePort()));
    env.put("OTT_HTTP_BRIDGE_PORT", String.valueOf(freePort()));
    env.put("OTT_DEMO_ENABLED", "false");
    // modules that do not deploy the encryption verticle store what they get; see withEncryption()
    env.put("OTT_ENCRYPTION_ENABLED", "false");
    env.put("OTT_RULES_ENABLED", "false");
    return env;
  }

  /**
   * {@link #base()} with the encryption stage on, wrapped by the test-only KEK that
   * every test suite shares (keysets in one database must all unwrap with one KEK).
   */
  public static Map<String, String> withEncryption(Map<String, String> env) {
    env.put("OTT_ENCRYPTION_ENABLED", "true");
    env.put("OTT_ENCRYPTION_KEK", testOnlyKek());
    env.put("OTT_ENCRYPTION_KEKFILE", "");
    return env;
  }

  /** A KEK for tests only: it protects nothing but test data. */
  public static String testOnlyKek() {
    try (var in = TestEnvironment.class.getResourceAsStream("/com/ott/testkit/test-only-kek.json")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing the test-only KEK resource", e);
    }
  }

  /** {@link #base()} plus Kafka. */
  public static Map<String, String> withKafka() {
    Map<String, String> env = base();
    env.put("OTT_KAFKA_BOOTSTRAP", TestServices.kafkaBootstrap());
    return env;
  }

  /** Variables for one member of a test cluster on loopback, isolated by its cluster name. */
  public static Map<String, String> clustered(String clusterName) {
    Map<String, String> env = base();
    env.put("OTT_CLUSTER_ENABLED", "true");
    env.put("OTT_CLUSTER_NAME", clusterName);
    env.put("OTT_CLUSTER_PORT", "5801");
    return env;
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
