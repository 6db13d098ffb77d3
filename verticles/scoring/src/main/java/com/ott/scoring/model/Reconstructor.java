package com.ott.scoring.model;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One exported network served through DJL: a SavedModel loaded with {@link Criteria} on the TensorFlow engine and
 * a {@link Predictor} that takes a whole batch of windows as one {@code [batch, window]} tensor. Not thread-safe
 * (a DJL predictor is not): callers use it from one thread at a time.
 */
public final class Reconstructor implements AutoCloseable {
  /** Windows per forward pass: large enough to amortise the per-call overhead, small enough for a little memory. */
  public static final int BATCH = 1024;

  private final ZooModel<float[][], float[]> model;
  private final Predictor<float[][], float[]> predictor;
  private final int window;

  private Reconstructor(ZooModel<float[][], float[]> model, int window) {
    this.model = model;
    this.predictor = model.newPredictor();
    this.window = window;
  }

  public static Reconstructor load(Path savedModel, int window) throws IOException {
    TensorFlowNatives.engine();
    Criteria<float[][], float[]> criteria = Criteria.builder()
        .setTypes(float[][].class, float[].class)
        .optEngine("TensorFlow")
        .optModelPath(savedModel)
        .optOption("SignatureDefKey", NetworkTrainer.SIGNATURE)
        .optTranslator(new WindowTranslator(window))
        .build();
    try {
      return new Reconstructor(criteria.loadModel(), window);
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("cannot load SavedModel " + savedModel + ": " + e.getMessage(), e);
    }
  }

  /** Reconstructions, flattened: window {@code i} at {@code [i*window, (i+1)*window)}. */
  public synchronized float[] reconstruct(float[][] windows) {
    float[] out = new float[windows.length * window];
    for (int from = 0; from < windows.length; from += BATCH) {
      int to = Math.min(windows.length, from + BATCH);
      float[][] batch = java.util.Arrays.copyOfRange(windows, from, to);
      try {
        System.arraycopy(predictor.predict(batch), 0, out, from * window, (to - from) * window);
      } catch (TranslateException e) {
        throw new IllegalStateException("inference failed: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Mean squared reconstruction error of each window. */
  public float[] errors(float[][] windows) {
    float[] rec = reconstruct(windows);
    float[] errors = new float[windows.length];
    for (int i = 0; i < windows.length; i++) {
      double sum = 0;
      for (int j = 0; j < window; j++) {
        double e = rec[i * window + j] - windows[i][j];
        sum += e * e;
      }
      errors[i] = (float) (sum / window);
    }
    return errors;
  }

  /**
   * Absolute reconstruction error of each window's newest step, which the network does not see (it is masked inside
   * the model): how far the point that just arrived is from what the 23 steps before it imply.
   */
  public float[] newestErrors(float[][] windows) {
    float[] rec = reconstruct(windows);
    float[] errors = new float[windows.length];
    for (int i = 0; i < windows.length; i++) {
      errors[i] = Math.abs(rec[i * window + window - 1] - windows[i][window - 1]);
    }
    return errors;
  }

  @Override
  public synchronized void close() {
    predictor.close();
    model.close();
  }

  /** A batch of windows in, one flat array of reconstructions out; batching is done by the caller. */
  private record WindowTranslator(int window) implements Translator<float[][], float[]> {
    @Override
    public NDList processInput(TranslatorContext ctx, float[][] windows) {
      float[] flat = new float[windows.length * window];
      for (int i = 0; i < windows.length; i++) {
        System.arraycopy(windows[i], 0, flat, i * window, window);
      }
      NDArray array = ctx.getNDManager().create(flat, new Shape(windows.length, window));
      array.setName(NetworkTrainer.INPUT);
      return new NDList(array);
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
      return list.get(0).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
      return null;
    }
  }
}
