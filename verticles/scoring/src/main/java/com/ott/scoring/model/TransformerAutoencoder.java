package com.ott.scoring.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * Transformer autoencoder: each step is embedded and given a sinusoidal positional encoding, one encoder block
 * (multi-head self-attention and a feed-forward layer, each with a residual connection and layer normalisation)
 * mixes the steps, the whole sequence is squeezed through a {@code latent}-wide bottleneck, expanded back to one
 * vector per step plus the positional encoding, refined by a second block and projected to one value per step.
 *
 * <p>For training, attention is formed with broadcast multiply-and-sum, whose gradients the TensorFlow core API
 * registers for graph mode; the exported serving path computes the same products over the same variables with
 * batched matrix multiplications, which are much faster.
 */
final class TransformerAutoencoder implements ReconstructionNetwork {
  private final Architecture arch;

  TransformerAutoencoder(Architecture arch) {
    this.arch = arch;
  }

  @Override
  public boolean separateServingPath() {
    return true;
  }

  @Override
  public Operand<TFloat32> reconstruct(Layers layers, Operand<TFloat32> windows) {
    Ops tf = layers.tf;
    int steps = arch.window();
    int d = arch.modelDim();
    Operand<TFloat32> positions = tf.constant(positionalEncoding(steps, d));

    Operand<TFloat32> x = tf.reshape(windows, tf.constant(new int[] {-1, steps, 1}));
    Operand<TFloat32> embedWeights = tf.reshape(layers.matrix("embed_w", 1, d), tf.constant(new int[] {d}));
    Operand<TFloat32> embedded = tf.math.add(tf.math.add(tf.math.mul(x, embedWeights), layers.vector("embed_b", d, 0f)), positions);
    Operand<TFloat32> encoded = block(layers, "enc", embedded);

    Operand<TFloat32> flat = tf.reshape(encoded, tf.constant(new int[] {-1, steps * d}));
    Operand<TFloat32> code = tf.math.tanh(layers.dense("latent", flat, steps * d, arch.latent()));
    Operand<TFloat32> expanded = tf.reshape(layers.dense("expand", code, arch.latent(), steps * d), tf.constant(new int[] {-1, steps, d}));
    Operand<TFloat32> decoded = block(layers, "dec", tf.math.add(expanded, positions));
    return tf.reshape(layers.dense3("out", decoded, steps, d, 1), tf.constant(new int[] {-1, steps}));
  }

  private Operand<TFloat32> block(Layers layers, String name, Operand<TFloat32> h) {
    Ops tf = layers.tf;
    int steps = arch.window();
    int d = arch.modelDim();
    Operand<TFloat32> attended = layers.layerNorm(name + "_ln1", tf.math.add(h, attention(layers, name + "_att", h)), d);
    Operand<TFloat32> ff = layers.dense3(name + "_ff2",
        tf.nn.relu(layers.dense3(name + "_ff1", attended, steps, d, arch.feedForward())), steps, arch.feedForward(), d);
    return layers.layerNorm(name + "_ln2", tf.math.add(attended, ff), d);
  }

  private Operand<TFloat32> attention(Layers layers, String name, Operand<TFloat32> h) {
    Ops tf = layers.tf;
    int steps = arch.window();
    int d = arch.modelDim();
    int heads = arch.heads();
    int dh = d / heads;
    Operand<TFloat32> q = splitHeads(tf, layers.dense3(name + "_q", h, steps, d, d));
    Operand<TFloat32> k = splitHeads(tf, layers.dense3(name + "_k", h, steps, d, d));
    Operand<TFloat32> v = splitHeads(tf, layers.dense3(name + "_v", h, steps, d, d));
    Operand<TFloat32> mixed;
    if (layers.inference()) {
      // serving path: batched matrix products, several times faster than the broadcast form below
      Operand<TFloat32> scores = tf.math.mul(tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
          tf.constant((float) (1.0 / Math.sqrt(dh))));
      mixed = tf.train.batchMatMul(tf.nn.softmax(scores), v, TFloat32.class);
    } else {
      // training path: [b, heads, query, 1, dh] * [b, heads, 1, key, dh] summed over dh = [b, heads, query, key]
      Operand<TFloat32> scores = tf.math.mul(
          tf.sum(tf.math.mul(tf.reshape(q, tf.constant(new int[] {-1, heads, steps, 1, dh})),
              tf.reshape(k, tf.constant(new int[] {-1, heads, 1, steps, dh}))), tf.constant(4)),
          tf.constant((float) (1.0 / Math.sqrt(dh))));
      Operand<TFloat32> weights = tf.nn.softmax(scores);
      mixed = tf.sum(tf.math.mul(tf.reshape(weights, tf.constant(new int[] {-1, heads, steps, steps, 1})),
          tf.reshape(v, tf.constant(new int[] {-1, heads, 1, steps, dh}))), tf.constant(3));
    }
    Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(mixed, tf.constant(new int[] {0, 2, 1, 3})),
        tf.constant(new int[] {-1, steps, d}));
    return layers.dense3(name + "_o", merged, steps, d, d);
  }

  private Operand<TFloat32> splitHeads(Ops tf, Operand<TFloat32> x) {
    int dh = arch.modelDim() / arch.heads();
    Operand<TFloat32> split = tf.reshape(x, tf.constant(new int[] {-1, arch.window(), arch.heads(), dh}));
    return tf.linalg.transpose(split, tf.constant(new int[] {0, 2, 1, 3}));
  }

  /** The sinusoidal encoding of "Attention Is All You Need": sin on even, cos on odd dimensions. */
  static float[][] positionalEncoding(int steps, int d) {
    float[][] pe = new float[steps][d];
    for (int pos = 0; pos < steps; pos++) {
      for (int i = 0; i < d; i++) {
        double angle = pos / Math.pow(10000, (2 * (i / 2)) / (double) d);
        pe[pos][i] = (float) (i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
      }
    }
    return pe;
  }
}
