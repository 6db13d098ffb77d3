package com.ott.gateway;

import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import java.util.List;

/** The gateway process. */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) {
    OttProcess.main("gateway", List.of(Component.of("gateway", GatewayVerticle::new)));
  }
}
