package com.ott.app;

import com.ott.app.demo.DemoVerticle;
import com.ott.gateway.GatewayVerticle;
import com.ott.ingestion.IngestionVerticle;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.store.StoreVerticle;
import com.ott.tenancy.TenancyVerticle;
import java.util.List;

/** Every verticle in one JVM: the product on a laptop. */
public final class AppMain {
  private AppMain() {}

  public static List<Component> components() {
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    return List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("store", StoreVerticle::new),
        new Component("ingestion", IngestionVerticle::new, cores),
        new Component("gateway", GatewayVerticle::new, cores),
        Component.of("demo", DemoVerticle::new));
  }

  public static void main(String[] args) {
    OttProcess.main("app", components());
  }
}
