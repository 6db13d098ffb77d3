package com.ott.scoring.model;

import java.util.Locale;

/** The two reconstruction networks of the ensemble. */
public enum ModelKind {
  LSTM,
  TRANSFORMER;

  /** Folder and JSON name: {@code lstm}, {@code transformer}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelKind parse(String id) {
    return valueOf(id.trim().toUpperCase(Locale.ROOT));
  }
}
