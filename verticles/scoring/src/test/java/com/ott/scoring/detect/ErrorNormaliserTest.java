package com.ott.scoring.detect;

import static org.assertj.core.api.Assertions.assertThat;

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
  void the_upper_tail_matches_the_normal_distribution() {
    assertThat(ErrorNormaliser.upperTail(0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-7));
    assertThat(ErrorNormaliser.upperTail(1.959964)).isCloseTo(0.025, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(ErrorNormaliser.upperTail(4.264891)).isCloseTo(1e-5, org.assertj.core.data.Offset.offset(1e-7));
  }
}
