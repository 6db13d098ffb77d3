package com.ott.scoring.model;

import io.vertx.core.json.JsonObject;

/**
 * Sizes of both networks. The latent width is the bottleneck that keeps an autoencoder from learning the identity:
 * a 24-step window must be squeezed through {@code latent} numbers, so only the shapes seen in training come back
 * out well.
 *
 * @param window steps per window (24)
 * @param lstmHidden LSTM state width
 * @param modelDim Transformer model width (embedding, attention)
 * @param heads attention heads ({@code modelDim} divisible by it)
 * @param feedForward Transformer feed-forward width
 * @param latent bottleneck width of both autoencoders
 */
public record Architecture(int window, int lstmHidden, int modelDim, int heads, int feedForward, int latent) {
  public static final Architecture DEFAULT = new Architecture(24, 32, 16, 2, 32, 8);

  public Architecture {
    if (window < 2 || lstmHidden < 1 || modelDim < 1 || heads < 1 || modelDim % heads != 0 || latent < 1) {
      throw new IllegalArgumentException("invalid architecture");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("window", window).put("lstmHidden", lstmHidden).put("modelDim", modelDim)
        .put("heads", heads).put("feedForward", feedForward).put("latent", latent);
  }

  public static Architecture fromJson(JsonObject json, Architecture defaults) {
    if (json == null) {
      return defaults;
    }
    return new Architecture(json.getInteger("window", defaults.window()), json.getInteger("lstmHidden", defaults.lstmHidden()),
        json.getInteger("modelDim", defaults.modelDim()), json.getInteger("heads", defaults.heads()),
        json.getInteger("feedForward", defaults.feedForward()), json.getInteger("latent", defaults.latent()));
  }
}
