package com.ott.scoring.model;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Versioned models under one directory: {@code <root>/<name>/v0001/{lstm/, transformer/, metadata.json}}. A version
 * is written into a staging folder and renamed into place, so a reader never sees half a version; the newest
 * version whose metadata parses and whose two SavedModels are present is the valid one to load.
 */
public final class ModelStore {
  private static final Pattern VERSION = Pattern.compile("v(\\d{4,})");
  private final Path root;

  public ModelStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** A valid version on disk. */
  public record Version(Path dir, ModelMetadata metadata) {
    public Path savedModel(ModelKind kind) {
      return dir.resolve(kind.id());
    }
  }

  public Optional<Version> newest(String name) {
    return versions(name).stream().findFirst();
  }

  /** Valid versions of a model, newest first. */
  public List<Version> versions(String name) {
    Path dir = root.resolve(name);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(p -> VERSION.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingInt(ModelStore::number).reversed())
          .map(ModelStore::readValid)
          .flatMap(Optional::stream)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh staging folder for a version being written. */
  public Path stage(String name) throws IOException {
    Path dir = root.resolve(name);
    Files.createDirectories(dir);
    return Files.createDirectory(dir.resolve(".staging-" + UUID.randomUUID()));
  }

  /** Writes the metadata with the next version number and renames the staging folder into place. */
  public Version publish(String name, Path staging, JsonObject metadata) throws IOException {
    Path dir = root.resolve(name);
    synchronized (ModelStore.class) {
      int next = 1;
      try (Stream<Path> children = Files.list(dir)) {
        next += children.map(p -> p.getFileName().toString()).filter(n -> VERSION.matcher(n).matches())
            .mapToInt(n -> Integer.parseInt(n.substring(1))).max().orElse(0);
      }
      JsonObject json = metadata.copy().put("name", name).put("version", next);
      Files.writeString(staging.resolve(ModelMetadata.FILE), json.encodePrettily(), StandardCharsets.UTF_8);
      Path target = dir.resolve(String.format("v%04d", next));
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return new Version(target, new ModelMetadata(json));
    }
  }

  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a leftover staging folder is never read as a version
        }
      });
    } catch (IOException ignored) {
      // same
    }
  }

  private static int number(Path p) {
    Matcher m = VERSION.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static Optional<Version> readValid(Path dir) {
    try {
      for (ModelKind kind : ModelKind.values()) {
        if (!Files.isRegularFile(dir.resolve(kind.id()).resolve("saved_model.pb"))) {
          return Optional.empty();
        }
      }
      JsonObject json = new JsonObject(Files.readString(dir.resolve(ModelMetadata.FILE), StandardCharsets.UTF_8));
      return json.containsKey("version") ? Optional.of(new Version(dir, new ModelMetadata(json))) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
