package com.ott.scoring;

import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import java.util.List;

/** The scoring process: anomaly scoring of the metric series alone, joined to the cluster. */
public final class ScoringMain {
  private ScoringMain() {}

  public static void main(String[] args) {
    OttProcess.main("scoring", List.of(Component.of("scoring", ScoringVerticle::new)));
  }
}
