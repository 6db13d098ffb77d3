package com.ott.rules.reference;

import java.util.Locale;

/** The network prefix of an IP literal: IPv4 /24, IPv6 /48 (the unit credential_sharing counts). */
public final class NetworkPrefix {
  private NetworkPrefix() {}

  /** "a.b.c.0/24" or "x:y:z::/48" (lower case, no leading zeros), or null when {@code ip} is not an IP literal. */
  public static String of(String ip) {
    if (ip == null || ip.isEmpty()) {
      return null;
    }
    if (ip.indexOf(':') < 0) {
      int last = ip.lastIndexOf('.');
      if (last < 0 || ip.chars().filter(c -> c == '.').count() != 3) {
        return null;
      }
      return ip.substring(0, last) + ".0/24";
    }
    int[] groups = ipv6Groups(ip);
    if (groups == null) {
      return null;
    }
    return Integer.toHexString(groups[0]) + ":" + Integer.toHexString(groups[1]) + ":"
        + Integer.toHexString(groups[2]) + "::/48";
  }

  private static int[] ipv6Groups(String ip) {
    String s = ip.toLowerCase(Locale.ROOT);
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    // an embedded IPv4 tail (::ffff:1.2.3.4) only affects the last 32 bits, never the /48
    int dot = s.indexOf('.');
    if (dot >= 0) {
      int colon = s.lastIndexOf(':');
      s = s.substring(0, colon + 1) + "0:0";
    }
    String[] head;
    String[] tail;
    int gap = s.indexOf("::");
    if (gap >= 0) {
      String h = s.substring(0, gap);
      String t = s.substring(gap + 2);
      head = h.isEmpty() ? new String[0] : h.split(":");
      tail = t.isEmpty() ? new String[0] : t.split(":");
    } else {
      head = s.split(":");
      tail = new String[0];
      if (head.length != 8) {
        return null;
      }
    }
    if (head.length + tail.length > 8) {
      return null;
    }
    int[] groups = new int[8];
    try {
      for (int i = 0; i < head.length; i++) {
        groups[i] = parseGroup(head[i]);
      }
      for (int i = 0; i < tail.length; i++) {
        groups[8 - tail.length + i] = parseGroup(tail[i]);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return groups;
  }

  private static int parseGroup(String g) {
    if (g.isEmpty() || g.length() > 4) {
      throw new NumberFormatException(g);
    }
    return Integer.parseInt(g, 16);
  }
}
