package com.ott.rules.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * ISO 3166-1 alpha-2 countries with the coordinates of their capitals, and the
 * EU/EEA membership (portability regulation 2017/1128, GDPR).
 */
public final class Countries {
  private static final double EARTH_RADIUS_KM = 6371.0088;
  private static final Map<String, double[]> CAPITALS;
  private static final Set<String> EU_EEA;

  static {
    Map<String, double[]> capitals = new HashMap<>();
    for (String line : lines("capitals.csv")) {
      String[] f = line.split(",");
      capitals.put(f[0], new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4])});
    }
    CAPITALS = Collections.unmodifiableMap(capitals);
    Set<String> eu = new HashSet<>();
    for (String line : lines("eu-eea.txt")) {
      for (String code : line.trim().split("\\s+")) {
        eu.add(code);
      }
    }
    EU_EEA = Collections.unmodifiableSet(eu);
  }

  private Countries() {}

  public static boolean isKnown(String code) {
    return code != null && CAPITALS.containsKey(code);
  }

  public static boolean isEuEea(String code) {
    return code != null && EU_EEA.contains(code);
  }

  public static Set<String> euEea() {
    return EU_EEA;
  }

  public static Set<String> codes() {
    return CAPITALS.keySet();
  }

  /** Great-circle (haversine) distance between the capitals of two countries in km, or NaN when one is unknown. */
  public static double capitalDistanceKm(String a, String b) {
    double[] p = CAPITALS.get(a);
    double[] q = CAPITALS.get(b);
    if (p == null || q == null) {
      return Double.NaN;
    }
    return haversineKm(p[0], p[1], q[0], q[1]);
  }

  public static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
        + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  private static Iterable<String> lines(String resource) {
    try (InputStream in = Countries.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      java.util.List<String> out = new java.util.ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line);
        }
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
