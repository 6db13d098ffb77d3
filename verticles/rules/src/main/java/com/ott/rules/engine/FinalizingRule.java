package com.ott.rules.engine;

import java.util.List;
import java.util.function.Consumer;

/**
 * A rule whose decisions wait until event time is final: a decision about instant t is taken
 * once the account has seen events up to t + allowed lateness, so that events arriving out of
 * order within the lateness give the same findings as in order. Pending decisions are kept in
 * the rule's state with a timer (member {@code timerPrefix() + "|" + account}) so that an
 * account that goes quiet is finalized by {@link RuleEngine#advanceWatermark}.
 */
public interface FinalizingRule extends Rule {

  String timerPrefix();

  /** The state keys {@link #finalizeUpTo} reads for an account. */
  void finalizationKeys(String account, RuleContext ctx, Consumer<String> keys);

  /** Takes every pending decision about instants at or before {@code watermarkMillis}; sets or clears the timer. */
  void finalizeUpTo(String account, long watermarkMillis, RuleContext ctx, List<Finding> out);
}
