package com.ott.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time used by named groups of processes between two points, from {@code /proc/<pid>/stat} (user + system,
 * in clock ticks of 1/100 s on Linux): on a shared machine, CPU per event says what a change costs even when
 * throughput is noisy. Groups are given as {@code app:123,pg:456+457}; each process counts with its children at the
 * time the meter starts (PostgreSQL's backends are children of the postmaster).
 */
final class CpuMeter {
  private static final double TICKS_PER_SECOND = 100.0;
  private final Map<String, long[]> groups = new LinkedHashMap<>();
  private final Map<String, Long> start = new LinkedHashMap<>();

  private CpuMeter() {}

  static CpuMeter of(String spec) {
    CpuMeter meter = new CpuMeter();
    if (spec == null || spec.isBlank()) {
      return meter;
    }
    for (String group : spec.split(",")) {
      String[] nameAndPids = group.split(":", 2);
      if (nameAndPids.length == 2 && !nameAndPids[1].isBlank()) {
        String[] pids = nameAndPids[1].trim().split("\\+");
        long[] parsed = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
          parsed[i] = Long.parseLong(pids[i].trim());
        }
        meter.groups.put(nameAndPids[0].trim(), withChildren(parsed));
      }
    }
    meter.groups.forEach((name, pids) -> meter.start.put(name, ticks(pids)));
    return meter;
  }

  /** {@code | CPU per event (app + pg) | total µs (app + pg) |}, or null when no process was named. */
  String rowPerEvent(long events) {
    if (groups.isEmpty() || events <= 0) {
      return null;
    }
    StringBuilder names = new StringBuilder();
    StringBuilder parts = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, long[]> g : groups.entrySet()) {
      double micros = (ticks(g.getValue()) - start.get(g.getKey())) / TICKS_PER_SECOND * 1e6 / events;
      total += micros;
      names.append(names.length() == 0 ? "" : " + ").append(g.getKey());
      parts.append(parts.length() == 0 ? "" : " + ").append(String.format(Locale.ROOT, "%.1f", micros));
    }
    return String.format(Locale.ROOT, "| CPU per event (%s) | %.1f µs (%s) |", names, total, parts);
  }

  private static long[] withChildren(long[] pids) {
    java.util.Set<Long> all = new java.util.LinkedHashSet<>();
    for (long pid : pids) {
      all.add(pid);
      try {
        for (String child : Files.readString(Path.of("/proc", String.valueOf(pid), "task", String.valueOf(pid), "children"))
            .trim().split("\\s+")) {
          if (!child.isEmpty()) {
            all.add(Long.parseLong(child));
          }
        }
      } catch (IOException | RuntimeException e) {
        // no children listed: the process alone
      }
    }
    return all.stream().mapToLong(Long::longValue).toArray();
  }

  private static long ticks(long[] pids) {
    long sum = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // fields after the command name (which may hold spaces) start after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        // a process that ended adds nothing more
      }
    }
    return sum;
  }
}
