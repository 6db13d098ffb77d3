package com.ott.scoring.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;

/**
 * LSTM autoencoder: an encoder LSTM reads the window step by step, its last state goes through a {@code latent}-wide
 * bottleneck, and a decoder LSTM fed that code at every step emits the window back. Unrolled over the fixed window,
 * which keeps the graph to plain ops whose gradients the TensorFlow core API provides.
 */
final class LstmAutoencoder implements ReconstructionNetwork {
  private final Architecture arch;

  LstmAutoencoder(Architecture arch) {
    this.arch = arch;
  }

  @Override
  public Operand<TFloat32> reconstruct(Layers layers, Operand<TFloat32> windows) {
    Ops tf = layers.tf;
    int steps = arch.window();
    int hidden = arch.lstmHidden();
    // zeros of shape [batch, hidden] without knowing the batch size when the graph is built
    Operand<TFloat32> zero = tf.linalg.matMul(windows, tf.constant(new float[steps][hidden]));

    Operand<TFloat32> encX = layers.matrix("enc_wx", 1, 4 * hidden);
    Operand<TFloat32> encH = layers.matrix("enc_wh", hidden, 4 * hidden);
    Operand<TFloat32> encB = forgetBiased(layers, "enc_b", hidden);
    Operand<TFloat32> h = zero;
    Operand<TFloat32> c = zero;
    Unstack<TFloat32> inputs = tf.unstack(windows, (long) steps, Unstack.axis(1L));
    for (Output<TFloat32> step : inputs.output()) {
      Operand<TFloat32> x = tf.reshape(step, tf.constant(new int[] {-1, 1}));
      Operand<TFloat32> gates = tf.math.add(tf.math.add(tf.linalg.matMul(x, encX), tf.linalg.matMul(h, encH)), encB);
      Operand<TFloat32>[] hc = cell(tf, gates, c);
      h = hc[0];
      c = hc[1];
    }
    Operand<TFloat32> code = tf.math.tanh(layers.dense("latent", h, hidden, arch.latent()));

    Operand<TFloat32> decX = layers.matrix("dec_wx", arch.latent(), 4 * hidden);
    Operand<TFloat32> decH = layers.matrix("dec_wh", hidden, 4 * hidden);
    Operand<TFloat32> decB = forgetBiased(layers, "dec_b", hidden);
    Operand<TFloat32> outW = layers.matrix("out_w", hidden, 1);
    Operand<TFloat32> outB = layers.vector("out_b", 1, 0f);
    // the decoder's input is the same code at every step: its projection is computed once
    Operand<TFloat32> codeGates = tf.math.add(tf.linalg.matMul(code, decX), decB);
    h = zero;
    c = zero;
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      Operand<TFloat32>[] hc = cell(tf, tf.math.add(codeGates, tf.linalg.matMul(h, decH)), c);
      h = hc[0];
      c = hc[1];
      outputs.add(tf.math.add(tf.linalg.matMul(h, outW), outB));
    }
    return tf.concat(outputs, tf.constant(1));
  }

  // forget-gate bias 1: the usual start that lets gradients flow through the cell state early in training
  private static Operand<TFloat32> forgetBiased(Layers layers, String name, int hidden) {
    Operand<TFloat32> b = layers.vector(name, 4 * hidden, 0f);
    float[] forget = new float[4 * hidden];
    for (int i = hidden; i < 2 * hidden; i++) {
      forget[i] = 1f;
    }
    return layers.tf.math.add(b, layers.tf.constant(forget));
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32>[] cell(Ops tf, Operand<TFloat32> gates, Operand<TFloat32> c) {
    List<Output<TFloat32>> parts = tf.split(tf.constant(1), gates, 4L).output();
    Operand<TFloat32> in = tf.math.sigmoid(parts.get(0));
    Operand<TFloat32> forget = tf.math.sigmoid(parts.get(1));
    Operand<TFloat32> candidate = tf.math.tanh(parts.get(2));
    Operand<TFloat32> out = tf.math.sigmoid(parts.get(3));
    Operand<TFloat32> cNext = tf.math.add(tf.math.mul(forget, c), tf.math.mul(in, candidate));
    Operand<TFloat32> hNext = tf.math.mul(out, tf.math.tanh(cNext));
    return new Operand[] {hNext, cNext};
  }
}
