package com.ott.scoring.detect;

/** Scores of one window in [0, 1]: each network's, and the ensemble's (the one alerts use). */
public record AnomalyScore(double lstm, double transformer, double ensemble) {
  public static final AnomalyScore NONE = new AnomalyScore(0, 0, 0);
}
