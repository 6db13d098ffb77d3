package com.ott.scoring.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.scoring.model.ModelMetadata;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ErrorNormaliserTest {
  @Test
  void ordinary_errors_score_low_and_a_jump_scores_high_once_then_is_damped_while_it_lasts() {
    ErrorNormaliser n = new ErrorNormaliser(ErrorNormaliser.Settings.DEFAULTS, 0, 1);
    Random random = new Random(1);
    double max = 0;
    for (int i = 0; i < 500; i++) {
      max = Math.max(max, n.score(random.nextGaussian() * 0.3));
    }
    assertThat(max).isLessThan(0.5);
    double[] during = new double[30];
    for (int i = 0; i < during.length; i++) {
      during[i] = n.score(8 + random.nextGaussian() * 0.3);
    }
    int firstHigh = -1;
    for (int i = 0; i < during.length; i++) {
      if (during[i] >= 0.5) {
        firstHigh = i;
        break;
      }
    }
    assertThat(firstHigh).isBetween(0, 9);
    // inside the red zone only the onset keeps its full score; the following steps are lifted to the yellow level
    assertThat(during[firstHigh + 2]).isEqualTo(ErrorNormaliser.scoreOfTail(1e-3));
  }

  @Test
  void the_ensemble_score_is_the_tail_of_the_mean_of_each_networks_z_score_against_its_own_history() {
    // the LSTM's validation figures claim a far smaller spread than its live errors have: only its own history,
    // not the validation figures, puts it on the Transformer's scale
    ModelMetadata metadata = new ModelMetadata(new JsonObject().put("validation", new JsonObject()
        .put("lstm", new JsonObject().put("errorMean", 0.01).put("errorStd", 0.001))
        .put("transformer", new JsonObject().put("errorMean", 0.2).put("errorStd", 0.1))));
    ErrorNormaliser.Settings settings = ErrorNormaliser.Settings.DEFAULTS;
    EnsembleScorer scorer = new EnsembleScorer(metadata, settings);
    ErrorNormaliser lstm = new ErrorNormaliser(settings, 0.01, settings.sigmaFloor());
    ErrorNormaliser transformer = new ErrorNormaliser(settings, 0.2, 0.1);
    Random random = new Random(3);
    double late = 0;
    for (int i = 0; i < 610; i++) {
      // steady errors, then both networks' errors jump for the last ten steps
      double l = i < 600 ? 0.3 + random.nextGaussian() * 0.1 : 1.5;
      double t = i < 600 ? 0.2 + random.nextGaussian() * 0.1 : 1.4;
      AnomalyScore s = scorer.next(l, t);
      assertThat(s.lstm()).isEqualTo(lstm.score(l));
      assertThat(s.transformer()).isEqualTo(transformer.score(t));
      double mean = (lstm.lastEvidence() + transformer.lastEvidence()) / 2;
      if (i >= 300 && i < 600) {
        late = Math.max(late, s.ensemble());
      }
      if (i == 600) {
        assertThat(s.ensemble()).isEqualTo(ErrorNormaliser.scoreOfTail(ErrorNormaliser.upperTail(mean)));
      }
    }
    assertThat(late).as("ensemble score of steady errors once the normalisers have their history").isLessThan(0.5);
  }

  @Test
  void the_upper_tail_matches_the_normal_distribution() {
    assertThat(ErrorNormaliser.upperTail(0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-7));
    assertThat(ErrorNormaliser.upperTail(1.959964)).isCloseTo(0.025, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(ErrorNormaliser.upperTail(4.264891)).isCloseTo(1e-5, org.assertj.core.data.Offset.offset(1e-7));
  }
}
