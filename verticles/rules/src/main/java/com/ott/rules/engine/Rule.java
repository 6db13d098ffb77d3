package com.ott.rules.engine;

import com.ott.contract.EventType;
import java.util.List;
import java.util.function.Consumer;

/**
 * A compliance rule: pure logic over an event, the reference data, the tenant's settings and
 * the rule's state records (all in {@link RuleContext}); it adds findings and changes state
 * records in the context's {@link WorkingState}, and does no I/O.
 */
public interface Rule {

  /** The rule id of DOMAIN.md, e.g. {@code concurrent_streams}. */
  String id();

  boolean handles(EventType type);

  /** The state keys the rule will read for this event, so that a batch loads them all at once. */
  default void stateKeys(RuleEvent event, RuleContext ctx, Consumer<String> keys) {}

  void evaluate(RuleEvent event, RuleContext ctx, List<Finding> out);
}
