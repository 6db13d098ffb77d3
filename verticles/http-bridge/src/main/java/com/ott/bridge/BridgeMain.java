package com.ott.bridge;

import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import java.util.List;

/** The http-bridge process: SockJS bridge, GraphQL and the dashboard on port 8081, joined to the cluster. */
public final class BridgeMain {
  private BridgeMain() {}

  public static void main(String[] args) {
    OttProcess.main("http-bridge", List.of(Component.of("http-bridge", BridgeVerticle::new)));
  }
}
