package com.ott.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/** A real PostgreSQL (14, from binaries shipped in Maven jars) on a free port; user and database {@code postgres}. */
public final class LocalPostgres implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private LocalPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** A fresh server whose data is deleted when it stops. */
  public static LocalPostgres start() {
    return start(null);
  }

  /** A server that keeps its data in {@code dataDirectory} across runs, or a fresh one if that is {@code null}. */
  public static LocalPostgres start(Path dataDirectory) {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setPort(FreePorts.pick())
        .setPGStartupWait(Duration.ofSeconds(60))
        .setRegisterShutdownHook(false);
    if (dataDirectory != null) {
      builder.setDataDirectory(dataDirectory.toAbsolutePath()).setCleanDataDirectory(false);
    }
    try {
      return new LocalPostgres(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  /** {@code postgresql://postgres@127.0.0.1:<port>/postgres} */
  public String url() {
    return "postgresql://postgres@127.0.0.1:" + port() + "/postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "LocalPostgres[" + url() + "]";
  }
}
