package com.ott.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis on a free port without persistence: {@code redis-server} from the PATH, else the binary shipped with
 * codemonstur embedded-redis.
 */
public final class LocalRedis implements AutoCloseable {
  public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path workDir;
  private final int port;
  private final Process process;

  private LocalRedis(Path workDir, int port, Process process) {
    this.workDir = workDir;
    this.port = port;
    this.process = process;
  }

  public static LocalRedis start() {
    Path executable = redisServerExecutable();
    Path workDir = Processes.createWorkDirectory("ott-redis-");
    int port = FreePorts.pick();
    Path log = workDir.resolve("redis.log");
    Process process;
    try {
      process = new ProcessBuilder(List.of(executable.toString(),
              "--port", String.valueOf(port), "--bind", "127.0.0.1", "--daemonize", "no",
              "--save", "", "--appendonly", "no", "--dir", workDir.toString()))
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + executable, e);
    }
    LocalRedis redis = new LocalRedis(workDir, port, process);
    redis.awaitPong(log);
    return redis;
  }

  /** {@code redis://127.0.0.1:<port>} */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Stops Redis (SIGTERM, SIGKILL after 10 s) and deletes its directory. */
  @Override
  public void close() {
    Processes.stop(process, 10);
    Processes.deleteRecursively(workDir);
  }

  @Override
  public String toString() {
    return "LocalRedis[" + url() + "]";
  }

  private void awaitPong(Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!answersPing()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with code " + process.exitValue() + "; log " + log
            + ":\n" + Processes.tail(log, 20));
      }
      if (System.nanoTime() > deadline) {
        Processes.stop(process, 5);
        throw new IllegalStateException("redis-server not answering PING after " + START_TIMEOUT.toSeconds()
            + " s; log " + log + ":\n" + Processes.tail(log, 20));
      }
      Processes.sleep(50);
    }
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static Path redisServerExecutable() {
    return onPath("redis-server").orElseGet(() -> {
      try {
        return ExecutableProvider.newJarResourceProvider().get().toPath();
      } catch (IOException e) {
        throw new UncheckedIOException("no redis-server on the PATH and the embedded one cannot be extracted", e);
      }
    });
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) return Optional.empty();
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
