package com.ott.store;

import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import java.util.List;

/** The store process: PostgreSQL persistence alone, joined to the cluster. */
public final class StoreMain {
  private StoreMain() {}

  public static void main(String[] args) {
    OttProcess.main("store", List.of(Component.of("store", StoreVerticle::new),
        Component.of("alerts", com.ott.store.alerts.AlertsVerticle::new)));
  }
}
