package com.ott.ingestion;

import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import java.util.List;

/** The ingestion process. */
public final class IngestionMain {
  private IngestionMain() {}

  public static void main(String[] args) {
    OttProcess.main("ingestion", List.of(Component.of("ingestion", IngestionVerticle::new)));
  }
}
