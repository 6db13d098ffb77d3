package com.ott.tenancy.tiers;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tier catalog in force: read at start, then re-read periodically and swapped when the file's content
 * changed (content, not modification time, which some file systems keep to the second), so edited definitions
 * apply without a restart. An invalid edit is logged and the
 * previous catalog stays in force. The packaged classpath copy, used when no file exists, is never re-read.
 */
public final class TierCatalogWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(TierCatalogWatcher.class);

  private final Vertx vertx;
  private final Path file;
  private volatile TierCatalog current;
  private volatile String seenContent;
  private long timerId = -1;

  private TierCatalogWatcher(Vertx vertx, Path file, TierCatalog initial, String content) {
    this.vertx = vertx;
    this.file = file;
    this.current = initial;
    this.seenContent = content;
  }

  /** Loads the catalog (see {@link TierCatalog#locate}) and, for a file, checks it every {@code checkMs}. */
  public static Future<TierCatalogWatcher> start(Vertx vertx, String explicitFile, long checkMs) {
    Optional<Path> located = TierCatalog.locate(explicitFile);
    if (located.isEmpty()) {
      return vertx.executeBlocking(TierCatalog::classpathCopy, false)
          .map(catalog -> {
            LOG.info("tiers: using the packaged {}", TierCatalog.CLASSPATH_COPY);
            return new TierCatalogWatcher(vertx, null, catalog, null);
          });
    }
    Path file = located.get().toAbsolutePath();
    String path = file.toString();
    return vertx.fileSystem().readFile(path)
        .map(buffer -> {
          String content = buffer.toString();
          return new TierCatalogWatcher(vertx, file, TierCatalog.parse(content), content);
        })
        .recover(err -> Future.failedFuture(new IllegalStateException("tiers file " + path + ": " + err.getMessage(), err)))
        .onSuccess(w -> {
          LOG.info("tiers: loaded {}", path);
          if (checkMs > 0) {
            w.timerId = vertx.setPeriodic(checkMs, id -> w.checkNow());
          }
        });
  }

  public TierCatalog current() {
    return current;
  }

  /** The watched file, or null when the packaged copy is in use. */
  public Path file() {
    return file;
  }

  /** Re-reads the file when it changed; true when a new catalog is now in force. */
  public Future<Boolean> checkNow() {
    if (file == null) {
      return Future.succeededFuture(false);
    }
    String path = file.toString();
    return vertx.fileSystem().readFile(path).map(buffer -> {
      String content = buffer.toString();
      if (content.equals(seenContent)) {
        return false;
      }
      seenContent = content;
      try {
        current = TierCatalog.parse(content);
        LOG.info("tiers: reloaded {}", path);
        return true;
      } catch (IllegalArgumentException e) {
        LOG.error("tiers: {} changed but is invalid, keeping the previous definitions: {}", path, e.getMessage());
        return false;
      }
    }).recover(err -> {
      LOG.warn("tiers: cannot check {}: {}", path, err.getMessage());
      return Future.succeededFuture(false);
    });
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
