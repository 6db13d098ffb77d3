package com.ott.rules;

import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import java.util.List;

/** The rules process. */
public final class RulesMain {
  private RulesMain() {}

  public static void main(String[] args) {
    OttProcess.main("rules", List.of(Component.of("rules", RulesVerticle::new)));
  }
}
