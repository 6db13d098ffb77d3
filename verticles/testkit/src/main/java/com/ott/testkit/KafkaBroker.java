package com.ott.testkit;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) running as a child JVM.
 *
 * <p>The broker runs from {@code verticles/testkit/target/lib}, not from this JVM's classpath: Kafka 4's
 * kafka-clients must not meet the kafka-clients 3.x of the modules under test. The child exits by itself when
 * this JVM goes away, even on SIGKILL.
 */
public final class KafkaBroker implements AutoCloseable {
  public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final String READY_LINE = "Kafka Server started";
  private static final String LOGBACK_CONFIG = "com/ott/testkit/kafka-logback.xml";

  private final Path workDir;
  private final int port;
  private final Process process;
  private final OutputStream lifeline;

  private KafkaBroker(Path workDir, int port, Process process) {
    this.workDir = workDir;
    this.port = port;
    this.process = process;
    this.lifeline = process.getOutputStream();
  }

  /** Starts a broker on free ports in a new temporary directory and waits until it serves clients. */
  public static KafkaBroker start() {
    return start(Map.of());
  }

  /** Like {@link #start()}, with broker properties that add to or replace the defaults. */
  public static KafkaBroker start(Map<String, String> brokerProperties) {
    String classpath = classpath();
    Path workDir = Processes.createWorkDirectory("ott-kafka-");
    int[] ports = FreePorts.pick(2);
    int port = ports[0];
    int controllerPort = ports[1];
    Map<String, String> properties = defaultProperties(workDir, port, controllerPort);
    properties.putAll(brokerProperties);
    Path config = workDir.resolve("server.properties");
    try {
      Files.writeString(config, properties.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("\n", "", "\n")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    format(classpath, workDir, config, deadline);

    Path log = workDir.resolve("server.log");
    List<String> command = java(classpath, "-Xms64m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
    command.addAll(List.of(ParentWatch.class.getName(), "kafka.Kafka", config.toString()));
    Process process = launch(command, workDir, log);
    KafkaBroker broker = new KafkaBroker(workDir, port, process);
    broker.awaitReady(deadline);
    return broker;
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The broker's own log (stdout and stderr of the child JVM). */
  public Path logFile() {
    return workDir.resolve("server.log");
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops the broker (SIGTERM, SIGKILL after 30 s) and deletes its data. */
  @Override
  public void close() {
    Processes.stop(process, 30);
    try {
      lifeline.close();
    } catch (IOException ignored) {
      // the child is gone already
    }
    Processes.deleteRecursively(workDir);
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + bootstrapServers() + ", log " + logFile() + "]";
  }

  private static Map<String, String> defaultProperties(Path workDir, int port, int controllerPort) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", workDir.resolve("data").toString());
    p.put("num.partitions", "4");
    p.put("auto.create.topics.enable", "true");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    return p;
  }

  /** Formats the storage directory for a new cluster, the KRaft equivalent of an empty ZooKeeper. */
  private static void format(String classpath, Path workDir, Path config, long deadline) {
    Path log = workDir.resolve("format.log");
    // C1 only: the tool runs for a second and is dominated by JIT warm-up
    List<String> command = java(classpath, "-Xmx256m", "-XX:TieredStopAtLevel=1");
    command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", randomClusterId(), "-c", config.toString()));
    Process process = launch(command, workDir, log);
    try {
      long remaining = deadline - System.nanoTime();
      if (!process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
        Processes.stop(process, 5);
        throw failure("formatting the Kafka storage timed out", log);
      }
      if (process.exitValue() != 0) {
        throw failure("formatting the Kafka storage failed (exit " + process.exitValue() + ")", log);
      }
    } catch (InterruptedException e) {
      Processes.stop(process, 5);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting the Kafka storage", e);
    }
  }

  private void awaitReady(long deadline) {
    Path log = logFile();
    while (!Processes.contains(log, READY_LINE)) {
      if (!process.isAlive()) {
        throw failure("Kafka broker exited with code " + process.exitValue() + " before it was ready", log);
      }
      if (System.nanoTime() > deadline) {
        Processes.stop(process, 10);
        throw failure("Kafka broker not ready after " + START_TIMEOUT.toSeconds() + " s", log);
      }
      Processes.sleep(100);
    }
  }

  private static IllegalStateException failure(String what, Path log) {
    return new IllegalStateException(what + "; log " + log + ", last lines:\n" + Processes.tail(log, 40));
  }

  private static List<String> java(String classpath, String... jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Processes.javaExecutable().toString());
    command.addAll(List.of(jvmOptions));
    command.add("-Djava.awt.headless=true");
    command.add("-Dlogback.configurationFile=" + LOGBACK_CONFIG);
    // Kafka brings log4j-api without an implementation; without this it complains on every start
    command.add("-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    command.add("-cp");
    command.add(classpath);
    return command;
  }

  private static Process launch(List<String> command, Path workDir, Path log) {
    try {
      return new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
  }

  /** Same shape as Kafka's {@code Uuid.randomUuid()}: 16 random bytes, URL-safe base64, not starting with '-'. */
  static String randomClusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      if (!id.startsWith("-")) return id;
    }
  }

  /** The broker's jars ({@code target/lib/*}) followed by the testkit's own classes or jar. */
  static String classpath() {
    Path testkit = ProjectRoot.testkitCodeLocation();
    Path lib = libDirectory(testkit);
    return lib.resolve("*") + File.pathSeparator + testkit;
  }

  private static Path libDirectory(Path testkit) {
    List<Path> candidates = new ArrayList<>();
    // target/classes or target/ott-testkit.jar: target/lib is next to it
    candidates.add(testkit.getParent().resolve("lib"));
    Optional<Path> root = ProjectRoot.find();
    root.ifPresent(dir -> candidates.add(dir.resolve("verticles/testkit/target/lib")));
    for (Path candidate : candidates) {
      if (holdsKafka(candidate)) return candidate;
    }
    throw new IllegalStateException("the Kafka broker's jars are not built: no kafka_2.13 jar in "
        + candidates + (root.isEmpty() ? " (project root not found: run from the checkout or set OTT_PROJECT_ROOT)" : "")
        + "; build them with `mvn -B -q -pl verticles/testkit -am package -DskipTests`"
        + " or point OTT_KAFKA_BOOTSTRAP at a running Kafka");
  }

  private static boolean holdsKafka(Path dir) {
    if (!Files.isDirectory(dir)) return false;
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "kafka_2.13-*.jar")) {
      return jars.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }
}
