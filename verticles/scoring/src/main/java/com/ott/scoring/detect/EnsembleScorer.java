package com.ott.scoring.detect;

import com.ott.scoring.model.ModelKind;
import com.ott.scoring.model.ModelMetadata;

/**
 * Scores one series window by window from the two networks' errors on the newest step.
 *
 * <p>Each network's evidence is the absolute error of the window's newest step, the step the network is not shown:
 * the score is about the point that just arrived, judged from the 23 before it (the older steps were judged when
 * they were new). Each network's error stream goes through its own {@link ErrorNormaliser} (Numenta's anomaly
 * likelihood), which standardises the short-term mean error against that network's own recent history: a z-score.
 * The ensemble's evidence is the mean of the two networks' z-scores, and its score is that mean's Gaussian tail
 * through the same red-zone filter and log scale.
 *
 * <p>Why the z-scores of the running normalisers: they put both networks on one scale using thousands of recent
 * errors, where the model's validation figures rest on about a hundred held-out windows and, when one network fits
 * those windows unusually well, make its errors dominate every later sum (measured: the ensemble then scored below
 * either network alone). Why the mean rather than the maximum or Stouffer's sum over root two: the two networks see
 * the same window, so their evidence is strongly correlated; the mean keeps the scale of one z when they agree and
 * halves one network's idiosyncratic miss, trading a little sensitivity for fewer false alarms.
 */
public final class EnsembleScorer {
  private final ErrorNormaliser lstm;
  private final ErrorNormaliser transformer;
  private final ErrorNormaliser.RedZone ensemble;

  public EnsembleScorer(ModelMetadata metadata, ErrorNormaliser.Settings settings) {
    // before a normaliser has its own history, the model's validation figures are its prior
    lstm = new ErrorNormaliser(settings, metadata.errorMean(ModelKind.LSTM),
        Math.max(metadata.errorStd(ModelKind.LSTM), settings.sigmaFloor()));
    transformer = new ErrorNormaliser(settings, metadata.errorMean(ModelKind.TRANSFORMER),
        Math.max(metadata.errorStd(ModelKind.TRANSFORMER), settings.sigmaFloor()));
    ensemble = new ErrorNormaliser.RedZone(settings);
  }

  /** The scores of the next window, given both networks' absolute errors on its newest step. */
  public AnomalyScore next(double lstmError, double transformerError) {
    double lstmScore = lstm.score(lstmError);
    double transformerScore = transformer.score(transformerError);
    double combined = (lstm.lastEvidence() + transformer.lastEvidence()) / 2;
    double tail = ensemble.filter(ErrorNormaliser.upperTail(combined));
    return new AnomalyScore(lstmScore, transformerScore, ErrorNormaliser.scoreOfTail(tail));
  }
}
