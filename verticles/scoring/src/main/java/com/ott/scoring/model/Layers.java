package com.ott.scoring.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Graph-mode building blocks over the TensorFlow core API: every trainable variable is created here (so the
 * trainer can take gradients of all of them) with seeded Glorot-uniform initial values, which makes a training run
 * reproducible.
 */
final class Layers {
  final Ops tf;
  private final Random random;
  private final List<Variable<TFloat32>> variables;
  private final java.util.Map<String, Variable<TFloat32>> byName;
  private final boolean reusing;

  Layers(Ops tf, long seed) {
    this(tf, new Random(seed), new ArrayList<>(), new java.util.HashMap<>(), false);
  }

  private Layers(Ops tf, Random random, List<Variable<TFloat32>> variables, java.util.Map<String, Variable<TFloat32>> byName,
                 boolean reusing) {
    this.tf = tf;
    this.random = random;
    this.variables = variables;
    this.byName = byName;
    this.reusing = reusing;
  }

  /** The same variables again, by name: a second network path over the weights the first one created. */
  Layers reusing() {
    return new Layers(tf, random, variables, byName, true);
  }

  /** True for a path that only serves inference (no gradients are taken through it). */
  boolean inference() {
    return reusing;
  }

  List<Variable<TFloat32>> variables() {
    return variables;
  }

  Variable<TFloat32> matrix(String name, int rows, int cols) {
    if (reusing) {
      return existing(name);
    }
    float limit = (float) Math.sqrt(6.0 / (rows + cols));
    float[][] init = new float[rows][cols];
    for (float[] row : init) {
      for (int j = 0; j < cols; j++) {
        row[j] = (random.nextFloat() * 2 - 1) * limit;
      }
    }
    return track(name, tf.withName(name).variable(tf.constant(init)));
  }

  Variable<TFloat32> vector(String name, int size, float value) {
    if (reusing) {
      return existing(name);
    }
    float[] init = new float[size];
    Arrays.fill(init, value);
    return track(name, tf.withName(name).variable(tf.constant(init)));
  }

  private Variable<TFloat32> track(String name, Variable<TFloat32> v) {
    if (byName.putIfAbsent(name, v) != null) {
      throw new IllegalStateException("two variables named " + name);
    }
    variables.add(v);
    return v;
  }

  private Variable<TFloat32> existing(String name) {
    Variable<TFloat32> v = byName.get(name);
    if (v == null) {
      throw new IllegalStateException("no variable " + name + " to reuse");
    }
    return v;
  }

  /** {@code x · W + b} over the last axis of a rank-2 input. */
  Operand<TFloat32> dense(String name, Operand<TFloat32> x, int in, int out) {
    return tf.math.add(tf.linalg.matMul(x, matrix(name + "_w", in, out)), vector(name + "_b", out, 0f));
  }

  /** Dense over the last axis of a {@code [batch, steps, in]} input. */
  Operand<TFloat32> dense3(String name, Operand<TFloat32> x, int steps, int in, int out) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, in}));
    return tf.reshape(dense(name, flat, in, out), tf.constant(new int[] {-1, steps, out}));
  }

  /** Layer normalisation over the last axis. */
  Operand<TFloat32> layerNorm(String name, Operand<TFloat32> x, int width) {
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(-1), Mean.keepDims(true));
    Operand<TFloat32> centred = tf.math.sub(x, mean);
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), tf.constant(-1), Mean.keepDims(true));
    Operand<TFloat32> normed = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(1e-5f))));
    return tf.math.add(tf.math.mul(normed, vector(name + "_gamma", width, 1f)), vector(name + "_beta", width, 0f));
  }

  Operand<TFloat32> constant(float value) {
    return tf.constant(value);
  }
}
