package com.ott.scoring.model;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes DJL's TensorFlow engine load the CPU natives shipped in the {@code tensorflow-native-cpu} jar, offline.
 *
 * <p>That jar's properties name a CUDA classifier, so DJL's own classpath detection passes it over and would try
 * to download; DJL does honour {@code TENSORFLOW_LIBRARY_PATH} (environment or system property). This class sets
 * that property, in order, to: the environment's value; a build-time unpacked {@code target/tf-native/native/lib}
 * next to this module's classes or jar; or a cache folder ({@code OTT_TF_NATIVE_DIR}, default
 * {@code ~/.cache/ott/tf-native-2.10.1}) filled once from the jar on the class path. Never a download.
 */
public final class TensorFlowNatives {
  private static final Logger LOG = LoggerFactory.getLogger(TensorFlowNatives.class);
  private static final String PROPERTY = "TENSORFLOW_LIBRARY_PATH";
  private static final List<String> LIBRARIES =
      List.of("libjnitensorflow.so", "libtensorflow_framework.so.2", "libtensorflow_cc.so.2", "tensorflow.properties");
  private static volatile Engine engine;

  private TensorFlowNatives() {}

  /** The TensorFlow engine, natives loaded; call before touching {@code org.tensorflow.*}. */
  public static synchronized Engine engine() {
    if (engine == null) {
      // DJL must never reach for its model zoo or a native download
      System.setProperty("offline", "true");
      if (System.getenv(PROPERTY) == null && System.getProperty(PROPERTY) == null) {
        System.setProperty(PROPERTY, locate().toString());
      }
      LOG.debug("TensorFlow natives from {}", System.getenv(PROPERTY) != null ? System.getenv(PROPERTY) : System.getProperty(PROPERTY));
      engine = Engine.getEngine("TensorFlow");
    }
    return engine;
  }

  private static Path locate() {
    for (Path candidate : buildCandidates()) {
      if (complete(candidate)) {
        return candidate;
      }
    }
    String configured = System.getenv("OTT_TF_NATIVE_DIR");
    Path cache = configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "ott", "tf-native-2.10.1");
    if (!complete(cache)) {
      extractFromClasspath(cache);
    }
    return cache;
  }

  private static List<Path> buildCandidates() {
    try {
      // target/classes or target/ott-scoring.jar: both sit in target/, next to target/tf-native
      Path here = Path.of(TensorFlowNatives.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path target = here.getParent();
      return List.of(target.resolve("tf-native/native/lib"), Path.of("verticles/scoring/target/tf-native/native/lib"));
    } catch (URISyntaxException | RuntimeException e) {
      return List.of(Path.of("verticles/scoring/target/tf-native/native/lib"));
    }
  }

  private static boolean complete(Path dir) {
    return LIBRARIES.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)));
  }

  private static void extractFromClasspath(Path dir) {
    try {
      Files.createDirectories(dir);
      for (String name : LIBRARIES) {
        try (InputStream in = TensorFlowNatives.class.getClassLoader().getResourceAsStream("native/lib/" + name)) {
          if (in == null) {
            throw new IllegalStateException("TensorFlow natives not found: no target/tf-native and no "
                + "ai.djl.tensorflow:tensorflow-native-cpu:2.10.1:linux-x86_64 on the class path; set TENSORFLOW_LIBRARY_PATH");
          }
          Path tmp = Files.createTempFile(dir, name, ".part");
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      LOG.info("extracted TensorFlow natives to {}", dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot extract TensorFlow natives to " + dir + ": " + e.getMessage(), e);
    }
  }
}
