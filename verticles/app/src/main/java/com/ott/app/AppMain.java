package com.ott.app;

import com.ott.app.demo.DemoVerticle;
import com.ott.bridge.BridgeVerticle;
import com.ott.encryption.EncryptionVerticle;
import com.ott.gateway.GatewayVerticle;
import com.ott.ingestion.IngestionVerticle;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.rules.RulesVerticle;
import com.ott.scoring.ScoringVerticle;
import com.ott.store.StoreVerticle;
import com.ott.store.alerts.AlertsVerticle;
import com.ott.tenancy.TenancyVerticle;
import java.util.List;

/** Every verticle in one JVM: the product on a laptop. */
public final class AppMain {
  private AppMain() {}

  public static List<Component> components() {
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    return List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("encryption", EncryptionVerticle::new),
        Component.of("store", StoreVerticle::new),
        Component.of("alerts", AlertsVerticle::new),
        Component.of("rules", RulesVerticle::new),
        Component.of("scoring", ScoringVerticle::new),
        new Component("ingestion", IngestionVerticle::new, cores),
        new Component("gateway", GatewayVerticle::new, cores),
        // one instance: a replay buffer belongs to its instance
        Component.of("http-bridge", BridgeVerticle::new),
        Component.of("demo", DemoVerticle::new));
  }

  /**
   * {@code --only a,b} deploys just those components (e.g. {@code --only store}), so one
   * jar can also run any part of the pipeline as its own cluster member.
   */
  public static void main(String[] args) {
    List<Component> chosen = components();
    String name = "app";
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println("usage: java -jar ott-app.jar [--only " + String.join(",", components().stream().map(Component::name).toList()) + "]");
        return;
      }
      if (args[i].equals("--only") && i + 1 < args.length) {
        List<String> wanted = List.of(args[++i].split(","));
        List<String> known = components().stream().map(Component::name).toList();
        List<String> unknown = wanted.stream().filter(w -> !known.contains(w)).toList();
        if (!unknown.isEmpty()) {
          System.err.println("unknown components " + unknown);
          System.exit(2);
        }
        chosen = chosen.stream().filter(c -> wanted.contains(c.name())).toList();
        name = String.join("+", wanted);
      } else {
        System.err.println("unknown argument " + args[i] + " (see --help)");
        System.exit(2);
      }
    }
    OttProcess.main(name, chosen);
  }
}
