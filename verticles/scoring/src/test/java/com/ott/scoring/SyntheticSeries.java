package com.ott.scoring;

import com.ott.scoring.model.Architecture;
import java.util.Random;

/** Small periodic series for tests: two seasonal terms plus noise, optionally with injected spikes. */
public final class SyntheticSeries {
  /** Networks small enough to train in a second or two: tests build their own models. */
  public static final Architecture TINY = new Architecture(24, 8, 8, 2, 16, 4);

  private SyntheticSeries() {}

  public static double[] periodic(int length, long seed) {
    Random random = new Random(seed);
    double[] values = new double[length];
    for (int t = 0; t < length; t++) {
      values[t] = 100 + 40 * Math.sin(2 * Math.PI * t / 24.0) + 15 * Math.sin(2 * Math.PI * t / 6.0) + random.nextGaussian() * 2;
    }
    return values;
  }

  public static float[][] windows(double[] values, int from, int to, int window, double mean, double std) {
    float[][] out = new float[Math.max(0, to - from - window + 1)][window];
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < window; j++) {
        out[i][j] = (float) ((values[from + i + j] - mean) / std);
      }
    }
    return out;
  }
}
