package com.ott.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code java -jar ott-testkit.jar --pg --redis --kafka}: real services for local runs, until SIGTERM or SIGINT. */
public final class ServicesMain {
  private static final String USAGE = """
      Usage: java -jar verticles/testkit/target/ott-testkit.jar [--pg] [--redis] [--kafka]
                                                               [--env-file PATH] [--data-dir DIR]
      Starts real services for tests and local runs, prints their URLs and keeps them running until
      SIGTERM or SIGINT, then stops them.

        --pg             embedded PostgreSQL 14 on a free port (user postgres, database postgres)
        --redis          redis-server from the PATH (else the one shipped with embedded-redis) on a free port,
                         no persistence
        --kafka          single-node KRaft Kafka broker on a free port (child JVM from verticles/testkit/target/lib)
        --env-file PATH  once everything is ready, write `export OTT_PG_URL=...` lines for what was started
                         (OTT_PG_URL, OTT_REDIS_URL, OTT_KAFKA_BOOTSTRAP); the file is removed on stop
        --data-dir DIR   keep PostgreSQL's data in DIR/postgres across runs (default: temporary, deleted on stop)
        --help           this text
      """;

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private Path envFile;

  private ServicesMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "com/ott/testkit/services-logback.xml");
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage() + "\n\n" + USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.print(USAGE);
      return;
    }
    ServicesMain main = new ServicesMain();
    Runtime.getRuntime().addShutdownHook(new Thread(main::stop, "ott-services-stop"));
    try {
      main.start(options);
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
    System.out.println("services ready (pid " + ProcessHandle.current().pid() + "); stop with SIGTERM");
    new CountDownLatch(1).await();
  }

  /** Starts the services side by side (PostgreSQL's initdb and Kafka's JVM start overlap), then publishes them. */
  private void start(Options options) {
    Map<String, CompletableFuture<String>> urls = new LinkedHashMap<>();
    if (options.pg) urls.put("OTT_PG_URL", launch(() -> LocalPostgres.start(options.pgDataDirectory()), LocalPostgres::url));
    if (options.redis) urls.put("OTT_REDIS_URL", launch(LocalRedis::start, LocalRedis::url));
    if (options.kafka) urls.put("OTT_KAFKA_BOOTSTRAP", launch(KafkaBroker::start, KafkaBroker::bootstrapServers));
    try {
      CompletableFuture.allOf(urls.values().toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }

    StringBuilder exports = new StringBuilder("# services started by ott-testkit (pid ")
        .append(ProcessHandle.current().pid()).append("); this file is removed when they stop\n");
    urls.forEach((name, url) -> {
      System.out.println(name + "=" + url.join());
      exports.append("export ").append(name).append("='").append(url.join()).append("'\n");
    });
    if (options.envFile != null) writeAtomically(options.envFile, exports.toString());
  }

  private <T extends AutoCloseable> CompletableFuture<String> launch(Supplier<T> starter, Function<T, String> url) {
    return CompletableFuture.supplyAsync(() -> {
      T service = starter.get();
      synchronized (started) {
        started.push(service);
      }
      return url.apply(service);
    }, runnable -> new Thread(runnable, "ott-services-start").start());
  }

  /** Readers poll for the file: it must appear complete or not at all. */
  private void writeAtomically(Path file, String content) {
    try {
      Path absolute = file.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
      Files.writeString(partial, content);
      Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      envFile = absolute;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e, e);
    }
  }

  private void stop() {
    if (envFile != null) {
      try {
        Files.deleteIfExists(envFile);
      } catch (IOException ignored) {
        // a stale file lists services that no longer answer; nothing better to do while exiting
      }
    }
    synchronized (started) {
      while (!started.isEmpty()) {
        AutoCloseable service = started.pop();
        try {
          service.close();
          System.out.println("stopped " + service);
        } catch (Exception e) {
          System.err.println("stopping " + service + " failed: " + e);
        }
      }
    }
  }

  private static final class Options {
    boolean pg;
    boolean redis;
    boolean kafka;
    boolean help;
    Path envFile;
    Path dataDir;

    static Options parse(String[] args) {
      Options options = new Options();
      List<String> rest = new ArrayList<>(List.of(args));
      while (!rest.isEmpty()) {
        String arg = rest.remove(0);
        switch (arg) {
          case "--pg" -> options.pg = true;
          case "--redis" -> options.redis = true;
          case "--kafka" -> options.kafka = true;
          case "--help", "-h" -> options.help = true;
          case "--env-file" -> options.envFile = Path.of(value(arg, rest));
          case "--data-dir" -> options.dataDir = Path.of(value(arg, rest));
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (!options.help && !options.pg && !options.redis && !options.kafka) {
        throw new IllegalArgumentException("nothing to start: give --pg, --redis and/or --kafka");
      }
      return options;
    }

    Path pgDataDirectory() {
      return dataDir == null ? null : dataDir.resolve("postgres");
    }

    private static String value(String option, List<String> rest) {
      if (rest.isEmpty() || rest.get(0).startsWith("--")) throw new IllegalArgumentException(option + " needs a value");
      return rest.remove(0);
    }
  }
}
