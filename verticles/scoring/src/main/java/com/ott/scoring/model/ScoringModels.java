package com.ott.scoring.model;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two networks of one model version, loaded for inference. Reference-counted so a reload can swap in a new
 * version while a scoring batch still uses the old one: the old one closes when its last user releases it.
 */
public final class ScoringModels {
  private final ModelStore.Version version;
  private final Reconstructor lstm;
  private final Reconstructor transformer;
  private final AtomicInteger users = new AtomicInteger(1);

  private ScoringModels(ModelStore.Version version, Reconstructor lstm, Reconstructor transformer) {
    this.version = version;
    this.lstm = lstm;
    this.transformer = transformer;
  }

  public static ScoringModels load(ModelStore.Version version) throws IOException {
    int window = version.metadata().window();
    Reconstructor lstm = Reconstructor.load(version.savedModel(ModelKind.LSTM), window);
    try {
      return new ScoringModels(version, lstm, Reconstructor.load(version.savedModel(ModelKind.TRANSFORMER), window));
    } catch (IOException | RuntimeException e) {
      lstm.close();
      throw e;
    }
  }

  public ModelMetadata metadata() {
    return version.metadata();
  }

  public ModelStore.Version version() {
    return version;
  }

  public Reconstructor network(ModelKind kind) {
    return kind == ModelKind.LSTM ? lstm : transformer;
  }

  /** Takes a use; false when the models are already closed. */
  public boolean acquire() {
    while (true) {
      int n = users.get();
      if (n <= 0) {
        return false;
      }
      if (users.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void release() {
    if (users.decrementAndGet() == 0) {
      lstm.close();
      transformer.close();
    }
  }

  /** Drops the owner's reference (taken at load): closes once no batch uses the models. */
  public void retire() {
    release();
  }
}
