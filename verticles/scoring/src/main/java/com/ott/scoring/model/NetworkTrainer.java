package com.ott.scoring.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.framework.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Trains one reconstruction network in graph mode with the TensorFlow core API that DJL's TensorFlow engine ships.
 * The network sees the window with its newest step masked and rebuilds the whole window; the loss is the mean
 * squared reconstruction error, gradients come from {@code tf.gradients} and each variable is
 * updated by an {@code ApplyAdam} op. The trained graph is exported as a SavedModel with one signature,
 * {@code serving_default}: input {@code window} {@code [batch, window]} to output {@code reconstruction}.
 */
public final class NetworkTrainer implements AutoCloseable {
  public static final String SIGNATURE = "serving_default";
  public static final String INPUT = "window";
  public static final String OUTPUT = "reconstruction";

  /** Optimisation settings. {@code threads} 0 lets TensorFlow use every core. */
  public record Options(int epochs, int batchSize, float learningRate, long seed, int threads) {
    public static Options defaults() {
      return new Options(40, 32, 0.003f, 7L, 0);
    }

    public Options withEpochs(int value) {
      return new Options(value, batchSize, learningRate, seed, threads);
    }

    public Options withThreads(int value) {
      return new Options(epochs, batchSize, learningRate, seed, value);
    }
  }

  /** What a training run measured: mean training loss per epoch and validation loss per epoch. */
  public record Run(List<Double> trainLoss, List<Double> validationLoss, double seconds) {
    public double finalValidationLoss() {
      return validationLoss.isEmpty() ? Double.NaN : validationLoss.get(validationLoss.size() - 1);
    }
  }

  private final ModelKind kind;
  private final Architecture arch;
  private final Options options;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> reconstruction;
  private final Operand<TFloat32> serving;
  private final Operand<TFloat32> loss;
  private final Placeholder<TFloat32> beta1Power;
  private final Placeholder<TFloat32> beta2Power;
  private final List<Op> updates = new ArrayList<>();

  public NetworkTrainer(ModelKind kind, Architecture arch, Options options) {
    TensorFlowNatives.engine();
    this.kind = kind;
    this.arch = arch;
    this.options = options;
    this.graph = new Graph();
    Ops tf = Ops.create(graph);
    Layers layers = new Layers(tf, options.seed());
    input = tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, arch.window())));
    ReconstructionNetwork network = ReconstructionNetwork.of(kind, arch);
    // the newest step is hidden from the network (set to the series mean, 0 after z-scoring): rebuilding it is a
    // prediction from the steps before it, so its error judges the new point alone and it cannot be copied through
    float[] keep = new float[arch.window()];
    java.util.Arrays.fill(keep, 0, arch.window() - 1, 1f);
    Operand<TFloat32> masked = tf.math.mul(input, tf.constant(keep));
    reconstruction = network.reconstruct(layers, masked);
    // the exported path: same variables, ops chosen for inference speed (it gets no gradients)
    serving = tf.withName(OUTPUT).identity(network.separateServingPath() ? network.reconstruct(layers.reusing(), masked) : reconstruction);
    loss = tf.math.mean(tf.math.square(tf.math.sub(reconstruction, input)), tf.constant(new int[] {0, 1}));

    beta1Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta2Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    List<Variable<TFloat32>> variables = layers.variables();
    Gradients gradients = tf.gradients(loss, variables);
    Operand<TFloat32> lr = tf.constant(options.learningRate());
    Operand<TFloat32> beta1 = tf.constant(0.9f);
    Operand<TFloat32> beta2 = tf.constant(0.999f);
    Operand<TFloat32> epsilon = tf.constant(1e-7f);
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> v = variables.get(i);
      Shape shape = v.shape();
      Variable<TFloat32> m = tf.variable(tf.zeros(tf.constant(shape), TFloat32.class));
      Variable<TFloat32> s = tf.variable(tf.zeros(tf.constant(shape), TFloat32.class));
      updates.add(tf.train.applyAdam(v, m, s, beta1Power, beta2Power, lr, beta1, beta2, epsilon, gradients.<TFloat32>dy(i)));
    }
    ConfigProto config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(options.threads())
        .setInterOpParallelismThreads(options.threads() == 0 ? 0 : 1)
        .build();
    session = new Session(graph, config);
    session.initialize();
  }

  public ModelKind kind() {
    return kind;
  }

  public Architecture architecture() {
    return arch;
  }

  /** Trains on {@code train} windows (shuffled each epoch with the seed) and measures {@code validation} each epoch. */
  public Run fit(float[][] train, float[][] validation) {
    long start = System.nanoTime();
    Random random = new Random(options.seed());
    int[] order = new int[train.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    List<Double> trainLoss = new ArrayList<>();
    List<Double> validationLoss = new ArrayList<>();
    long step = 0;
    for (int epoch = 0; epoch < options.epochs(); epoch++) {
      shuffle(order, random);
      double sum = 0;
      int batches = 0;
      for (int from = 0; from < order.length; from += options.batchSize()) {
        int to = Math.min(order.length, from + options.batchSize());
        float[][] batch = new float[to - from][];
        for (int i = from; i < to; i++) {
          batch[i - from] = train[order[i]];
        }
        step++;
        try (TFloat32 x = tensor(batch);
             TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(0.9, step));
             TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(0.999, step))) {
          Session.Runner runner = session.runner().feed(input, x).feed(beta1Power, b1).feed(beta2Power, b2).fetch(loss);
          updates.forEach(runner::addTarget);
          try (Result result = runner.run()) {
            sum += ((TFloat32) result.get(0)).getFloat();
          }
        }
        batches++;
      }
      trainLoss.add(batches == 0 ? Double.NaN : sum / batches);
      if (validation.length > 0) {
        validationLoss.add(meanLoss(validation));
      }
    }
    return new Run(trainLoss, validationLoss, (System.nanoTime() - start) / 1e9);
  }

  /** Mean squared reconstruction error over the windows. */
  public double meanLoss(float[][] windows) {
    float[][] out = reconstruct(windows);
    double sum = 0;
    for (int i = 0; i < windows.length; i++) {
      for (int j = 0; j < windows[i].length; j++) {
        double e = out[i][j] - windows[i][j];
        sum += e * e;
      }
    }
    return sum / ((double) windows.length * arch.window());
  }

  /** The network's reconstruction of each window, computed in this training session by the training path. */
  public float[][] reconstruct(float[][] windows) {
    float[][] out = new float[windows.length][arch.window()];
    int chunk = 1024;
    for (int from = 0; from < windows.length; from += chunk) {
      int to = Math.min(windows.length, from + chunk);
      float[][] batch = java.util.Arrays.copyOfRange(windows, from, to);
      try (TFloat32 x = tensor(batch);
           Result result = session.runner().feed(input, x).fetch(reconstruction).run()) {
        TFloat32 y = (TFloat32) result.get(0);
        float[] flat = new float[batch.length * arch.window()];
        y.read(DataBuffers.of(flat, false, false));
        for (int i = 0; i < batch.length; i++) {
          System.arraycopy(flat, i * arch.window(), out[from + i], 0, arch.window());
        }
      }
    }
    return out;
  }

  /** Writes the SavedModel (graph, variables, {@value #SIGNATURE} signature) into {@code dir}. */
  public void export(Path dir) throws IOException {
    Signature signature = Signature.builder().key(SIGNATURE).input(INPUT, input).output(OUTPUT, serving).build();
    SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export();
  }

  private TFloat32 tensor(float[][] windows) {
    int w = arch.window();
    float[] flat = new float[windows.length * w];
    for (int i = 0; i < windows.length; i++) {
      System.arraycopy(windows[i], 0, flat, i * w, w);
    }
    return TFloat32.tensorOf(Shape.of(windows.length, w), DataBuffers.of(flat, true, false));
  }

  private static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
