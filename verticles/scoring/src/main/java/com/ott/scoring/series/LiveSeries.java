package com.ott.scoring.series;

import com.ott.scoring.detect.AnomalyScore;
import com.ott.scoring.detect.EnsembleScorer;
import com.ott.scoring.detect.ErrorNormaliser;
import com.ott.scoring.model.ModelMetadata;
import com.ott.scoring.model.ModelMetadata.Normalisation;

/**
 * The scoring state of one live series: its last {@code window} bucket values, running statistics (to normalise a
 * series the model was not trained on) and its {@link EnsembleScorer}, rebuilt when a new model version arrives.
 */
public final class LiveSeries {
  private final SeriesKey key;
  private final double[] ring;
  private int count;
  private long seen;
  private double mean;
  private double m2;
  private EnsembleScorer scorer;
  private int scorerVersion = -1;

  public LiveSeries(SeriesKey key, int window) {
    this.key = key;
    this.ring = new double[window];
  }

  public SeriesKey key() {
    return key;
  }

  public void push(double value) {
    ring[count % ring.length] = value;
    count++;
    seen++;
    double delta = value - mean;
    mean += delta / seen;
    m2 += delta * (value - mean);
  }

  public boolean full() {
    return count >= ring.length;
  }

  /** The last window, oldest first, normalised as the model was trained (or by the series' own statistics). */
  public float[] window(ModelMetadata metadata) {
    Normalisation norm = metadata.normalisation(key.modelKey());
    if (norm == null) {
      double std = Math.sqrt(m2 / Math.max(1, seen));
      norm = new Normalisation(mean, std < 1e-6 ? 1.0 : std);
    }
    float[] out = new float[ring.length];
    for (int i = 0; i < ring.length; i++) {
      out[i] = norm.apply(ring[(count + i) % ring.length]);
    }
    return out;
  }

  public double[] rawWindow() {
    double[] out = new double[ring.length];
    for (int i = 0; i < ring.length; i++) {
      out[i] = ring[(count + i) % ring.length];
    }
    return out;
  }

  public AnomalyScore score(ModelMetadata metadata, double lstmError, double transformerError) {
    if (scorer == null || scorerVersion != metadata.version()) {
      scorer = new EnsembleScorer(metadata, ErrorNormaliser.Settings.DEFAULTS);
      scorerVersion = metadata.version();
    }
    return scorer.next(lstmError, transformerError);
  }
}
