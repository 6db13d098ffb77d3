package com.ott.scoring.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A network that rebuilds a {@code [batch, window]} input through a bottleneck. */
interface ReconstructionNetwork {
  Operand<TFloat32> reconstruct(Layers layers, Operand<TFloat32> windows);

  /** Whether the serving path uses different ops from the training path (else the training output is served). */
  default boolean separateServingPath() {
    return false;
  }

  static ReconstructionNetwork of(ModelKind kind, Architecture arch) {
    return switch (kind) {
      case LSTM -> new LstmAutoencoder(arch);
      case TRANSFORMER -> new TransformerAutoencoder(arch);
    };
  }
}
