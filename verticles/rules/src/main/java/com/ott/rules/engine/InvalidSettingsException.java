package com.ott.rules.engine;

import java.util.List;

/** Rule settings that do not match their schema; {@link #errors()} has one "path: reason" per problem. */
public final class InvalidSettingsException extends RuntimeException {
  private final List<String> errors;

  public InvalidSettingsException(List<String> errors) {
    super("invalid rule settings: " + String.join("; ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
