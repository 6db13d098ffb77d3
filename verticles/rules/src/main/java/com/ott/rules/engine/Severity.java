package com.ott.rules.engine;

/** Severity of a finding, lowest first. */
public enum Severity {
  LOW, MEDIUM, HIGH;

  public static Severity max(Severity a, Severity b) {
    return a == null ? b : b == null ? a : a.ordinal() >= b.ordinal() ? a : b;
  }
}
