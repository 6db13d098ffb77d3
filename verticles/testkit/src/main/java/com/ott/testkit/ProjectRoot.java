package com.ott.testkit;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The checkout this testkit belongs to: the directory that holds {@code verticles/testkit}. */
final class ProjectRoot {
  private ProjectRoot() {}

  /**
   * {@code OTT_PROJECT_ROOT} (system property {@code ott.project.root} or {@code OTT_PROJECT_ROOT}, or env), else the
   * nearest ancestor of the current directory, else of the testkit's own classes or jar.
   */
  static Optional<Path> find() {
    Optional<Path> configured = Optional.ofNullable(System.getProperty("OTT_PROJECT_ROOT"))
        .or(() -> Settings.get("OTT_PROJECT_ROOT"))
        .map(Path::of);
    if (configured.isPresent()) return configured.map(Path::toAbsolutePath);
    return searchUpFrom(Path.of("").toAbsolutePath()).or(() -> searchUpFrom(testkitCodeLocation()));
  }

  /** {@code verticles/testkit/target/classes} or the testkit jar, wherever it was loaded from. */
  static Path testkitCodeLocation() {
    try {
      return Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the testkit's classes", e);
    }
  }

  private static Optional<Path> searchUpFrom(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("verticles/testkit/pom.xml"))) return Optional.of(dir);
    }
    return Optional.empty();
  }
}
