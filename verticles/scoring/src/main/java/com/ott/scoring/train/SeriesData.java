package com.ott.scoring.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One univariate series as NAB stores it ({@code timestamp,value} CSV with a header) and as the scoring verticle
 * stores closed buckets. {@code trainFrom}/{@code trainTo} bound the rows a model may learn from.
 */
public record SeriesData(String key, List<String> timestamps, double[] values, int trainFrom, int trainTo) {
  public int size() {
    return values.length;
  }

  public SeriesData trainingRows(int from, int to) {
    return new SeriesData(key, timestamps, values, from, to);
  }

  /** Reads a {@code timestamp,value} CSV; every row is a training row until narrowed. */
  public static SeriesData readCsv(String key, Path file) throws IOException {
    List<String> timestamps = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int valueColumn = 1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cols = line.split(",");
      if (i == 0 && !looksNumeric(cols[cols.length - 1])) {
        for (int c = 0; c < cols.length; c++) {
          if (cols[c].strip().equals("value")) {
            valueColumn = c;
          }
        }
        continue;
      }
      if (cols.length <= valueColumn || !looksNumeric(cols[valueColumn])) {
        // a line being appended while we read, or damaged: skipped rather than failing a whole training run
        continue;
      }
      timestamps.add(cols[0].strip());
      values.add(Double.parseDouble(cols[valueColumn].strip()));
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    return new SeriesData(key, timestamps, v, 0, v.length);
  }

  /** Appends rows to a {@code timestamp,value} CSV, writing the header when the file is new. */
  public static void appendCsv(Path file, List<String> timestamps, double[] values) throws IOException {
    Files.createDirectories(file.getParent());
    boolean fresh = !Files.exists(file);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
      if (fresh) {
        out.write("timestamp,value\n");
      }
      for (int i = 0; i < values.length; i++) {
        out.write(timestamps.get(i) + "," + format(values[i]) + "\n");
      }
    }
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static boolean looksNumeric(String s) {
    try {
      Double.parseDouble(s.strip());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
