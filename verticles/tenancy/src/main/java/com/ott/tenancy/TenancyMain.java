package com.ott.tenancy;

import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import java.util.List;

/** The tenancy process. */
public final class TenancyMain {
  private TenancyMain() {}

  public static void main(String[] args) {
    OttProcess.main("tenancy", List.of(Component.of("tenancy", TenancyVerticle::new)));
  }
}
