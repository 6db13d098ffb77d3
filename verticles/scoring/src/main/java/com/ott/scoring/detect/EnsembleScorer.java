package com.ott.scoring.detect;

import com.ott.scoring.model.ModelKind;
import com.ott.scoring.model.ModelMetadata;

/**
 * Scores one series window by window from the two networks' errors on the newest step.
 *
 * <p>Each network's evidence is the absolute error of the window's newest step, the step the network is not shown:
 * the score is about the point that just arrived, judged from the 23 before it (the older steps were judged when
 * they were new). The ensemble's evidence is the mean of the two, each first standardised by that network's own
 * validation error mean and deviation (from the model metadata), so neither network dominates by scale. The mean
 * rather than the maximum: a true anomaly breaks both networks' expectations, while one network's idiosyncratic
 * miss is halved, which trades a little sensitivity for fewer false alarms. Each of the three evidence streams then
 * goes through its own {@link ErrorNormaliser}, so every score is judged against the recent distribution of the
 * same quantity.
 */
public final class EnsembleScorer {
  private final double lstmMean;
  private final double lstmStd;
  private final double transformerMean;
  private final double transformerStd;
  private final ErrorNormaliser lstm;
  private final ErrorNormaliser transformer;
  private final ErrorNormaliser ensemble;

  public EnsembleScorer(ModelMetadata metadata, ErrorNormaliser.Settings settings) {
    lstmMean = metadata.errorMean(ModelKind.LSTM);
    lstmStd = Math.max(metadata.errorStd(ModelKind.LSTM), settings.sigmaFloor());
    transformerMean = metadata.errorMean(ModelKind.TRANSFORMER);
    transformerStd = Math.max(metadata.errorStd(ModelKind.TRANSFORMER), settings.sigmaFloor());
    lstm = new ErrorNormaliser(settings, lstmMean, lstmStd);
    transformer = new ErrorNormaliser(settings, transformerMean, transformerStd);
    ensemble = new ErrorNormaliser(settings, 0.0, 1.0);
  }

  /** The scores of the next window, given both networks' absolute errors on its newest step. */
  public AnomalyScore next(double lstmError, double transformerError) {
    double combined = ((lstmError - lstmMean) / lstmStd + (transformerError - transformerMean) / transformerStd) / 2;
    return new AnomalyScore(lstm.score(lstmError), transformer.score(transformerError), ensemble.score(combined));
  }
}
