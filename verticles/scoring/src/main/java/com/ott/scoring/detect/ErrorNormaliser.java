package com.ott.scoring.detect;

/**
 * Turns a stream of raw anomaly evidence (reconstruction errors) into an anomaly score in [0, 1] by comparing
 * it with the recent distribution of that same evidence: Numenta's anomaly likelihood (Ahmad et al., "Unsupervised
 * real-time anomaly detection for streaming data", Neurocomputing 2017), with its published defaults.
 *
 * <p>Each step: the short-term mean of the last {@code averaging} raw values is compared, as a Gaussian tail
 * probability, with the mean and deviation of those short-term means over the last {@code history} steps (before
 * {@code minHistory} steps have been seen, with the prior given at construction: the model's validation figures).
 * A tail at or below {@code red} right after another such tail is lifted to {@code yellow}, so a lasting anomaly
 * scores high once, at its onset, like a de-duplicated alert. The score is the tail on a log scale, as NAB's Numenta
 * detector reports it: {@code ln(tail + 1e-10) / ln(1e-10)}, so 0.5 is a tail of 1e-5.
 */
public final class ErrorNormaliser {
  /** The method's parameters; {@link #DEFAULTS} are the published ones. */
  public record Settings(int averaging, int history, int minHistory, double sigmaFloor, double red, double yellow) {
    public static final Settings DEFAULTS = new Settings(10, 8640, 100, 0.05, 1e-5, 1e-3);
  }

  private final Settings settings;
  private final double priorMean;
  private final double priorStd;
  private final double[] recent;
  private final double[] averages;
  private int recentCount;
  private double recentSum;
  private int historyCount;
  private int historyNext;
  private double historySum;
  private double historySumSq;
  private double previousTail = 1.0;

  public ErrorNormaliser(Settings settings, double priorMean, double priorStd) {
    this.settings = settings;
    this.priorMean = priorMean;
    this.priorStd = priorStd;
    this.recent = new double[settings.averaging()];
    this.averages = new double[settings.history()];
  }

  /** Feeds one raw value and returns its tail probability (after the red-zone filter). */
  public double tail(double raw) {
    int slot = recentCount % recent.length;
    if (recentCount >= recent.length) {
      recentSum -= recent[slot];
    }
    recent[slot] = raw;
    recentSum += raw;
    recentCount++;
    double average = recentSum / Math.min(recentCount, recent.length);

    double mean;
    double std;
    if (historyCount >= settings.minHistory()) {
      mean = historySum / historyCount;
      std = Math.sqrt(Math.max(0, historySumSq / historyCount - mean * mean));
    } else {
      mean = priorMean;
      std = priorStd;
    }
    double tail = upperTail((average - mean) / Math.max(std, settings.sigmaFloor()));
    double filtered = tail <= settings.red() && previousTail <= settings.red() ? settings.yellow() : tail;
    previousTail = tail;

    if (historyCount == averages.length) {
      double old = averages[historyNext];
      historySum -= old;
      historySumSq -= old * old;
    } else {
      historyCount++;
    }
    averages[historyNext] = average;
    historySum += average;
    historySumSq += average * average;
    historyNext = (historyNext + 1) % averages.length;
    return filtered;
  }

  /** Feeds one raw value and returns its anomaly score in [0, 1]. */
  public double score(double raw) {
    return scoreOfTail(tail(raw));
  }

  public static double scoreOfTail(double tail) {
    return Math.min(1.0, Math.max(0.0, Math.log(tail + 1e-10) / Math.log(1e-10)));
  }

  /** P(Z > z) for a standard normal Z, accurate to about 1e-7 relative (Numerical Recipes' erfc). */
  static double upperTail(double z) {
    return 0.5 * erfc(z / Math.sqrt(2));
  }

  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2.0 - r;
  }
}
