package com.ott.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

final class Processes {
  private static final String OWNER_FILE = "owner.pid";

  private Processes() {}

  /** SIGTERM, then SIGKILL if the process is still alive after {@code graceSeconds}. */
  static void stop(Process process, long graceSeconds) {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (NoSuchFileException e) {
      return "(no log written)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  static boolean contains(Path file, String text) {
    try {
      return Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new temporary directory owned by this JVM. Directories with the same prefix whose owner is gone (killed before
   * it could clean up) are deleted first.
   */
  static Path createWorkDirectory(String prefix) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix + "*")) {
      for (Path dir : dirs) {
        if (ownerIsGone(dir)) deleteRecursively(dir);
      }
    } catch (IOException | UncheckedIOException ignored) {
      // another JVM is sweeping too, or the directory is not ours: leave it
    }
    try {
      Path dir = Files.createTempDirectory(tmp, prefix);
      Files.writeString(dir.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory in " + tmp, e);
    }
  }

  private static boolean ownerIsGone(Path dir) {
    try {
      long pid = Long.parseLong(Files.readString(dir.resolve(OWNER_FILE)).trim());
      return ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a service to start", e);
    }
  }
}
