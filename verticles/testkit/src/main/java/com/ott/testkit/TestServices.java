package com.ott.testkit;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * The PostgreSQL, Redis and Kafka that tests run against: the ones configured by {@code OTT_PG_URL},
 * {@code OTT_REDIS_URL} and {@code OTT_KAFKA_BOOTSTRAP} (system properties {@code ott.pg.url}, ... first), else
 * embedded ones, started on first use, shared by every test in the JVM and stopped when it exits.
 */
public final class TestServices {
  private static final Service<LocalPostgres> POSTGRES = new Service<>("PostgreSQL", LocalPostgres::start);
  private static final Service<LocalRedis> REDIS = new Service<>("Redis", LocalRedis::start);
  private static final Service<KafkaBroker> KAFKA = new Service<>("Kafka", KafkaBroker::start);
  private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TestServices::stopAll, "ott-testkit-stop"));
  }

  private TestServices() {}

  /** {@code postgresql://user[:password]@host:port/database} */
  public static String pgUrl() {
    return Settings.get("OTT_PG_URL").orElseGet(() -> POSTGRES.get().url());
  }

  /** {@link #pgUrl()} as a JDBC URL, user and password as parameters: {@code jdbc:postgresql://host:port/db?user=..}. */
  public static String pgJdbcUrl() {
    return toJdbcUrl(pgUrl());
  }

  /** {@code redis://host:port} */
  public static String redisUrl() {
    return Settings.get("OTT_REDIS_URL").orElseGet(() -> REDIS.get().url());
  }

  /** {@code host:port}, for {@code bootstrap.servers} */
  public static String kafkaBootstrap() {
    return Settings.get("OTT_KAFKA_BOOTSTRAP").orElseGet(() -> KAFKA.get().bootstrapServers());
  }

  static String toJdbcUrl(String pgUrl) {
    URI uri = URI.create(pgUrl);
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("not a postgresql:// URL: " + pgUrl);
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    if (uri.getPort() > 0) jdbc.append(':').append(uri.getPort());
    jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath());
    String userInfo = uri.getUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      jdbc.append("?user=").append(encode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) jdbc.append("&password=").append(encode(userInfo.substring(colon + 1)));
    }
    return jdbc.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void stopAll() {
    synchronized (STARTED) {
      while (!STARTED.isEmpty()) {
        AutoCloseable service = STARTED.pop();
        try {
          service.close();
        } catch (Exception e) {
          System.err.println("ott-testkit: stopping " + service + " failed: " + e);
        }
      }
    }
  }

  /** Started at most once; a failed start is remembered so that later tests fail fast with the same cause. */
  private static final class Service<T extends AutoCloseable> {
    private final String name;
    private final Supplier<T> starter;
    private T instance;
    private RuntimeException failure;

    Service(String name, Supplier<T> starter) {
      this.name = name;
      this.starter = starter;
    }

    synchronized T get() {
      if (instance != null) return instance;
      if (failure != null) throw new IllegalStateException("embedded " + name + " failed to start earlier", failure);
      try {
        instance = starter.get();
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
      synchronized (STARTED) {
        STARTED.push(instance);
      }
      return instance;
    }
  }
}
