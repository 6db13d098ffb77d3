package com.ott.scoring.series;

import com.ott.scoring.train.SeriesData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Closed buckets on disk, one NAB-format CSV per series: {@code <root>/<resolution>/<tenantId>/<series>.csv}, so the
 * trainer reads the live series exactly like benchmark files. Blocking I/O: call it from a worker.
 */
public final class SeriesStore {
  private final Path root;

  public SeriesStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public void append(List<BucketBook.Closed> buckets) throws IOException {
    Map<SeriesKey, List<BucketBook.Closed>> bySeries = new LinkedHashMap<>();
    for (BucketBook.Closed c : buckets) {
      bySeries.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
    }
    for (Map.Entry<SeriesKey, List<BucketBook.Closed>> e : bySeries.entrySet()) {
      List<String> timestamps = e.getValue().stream().map(c -> Instant.ofEpochMilli(c.start()).toString()).toList();
      double[] values = e.getValue().stream().mapToDouble(BucketBook.Closed::value).toArray();
      SeriesData.appendCsv(file(e.getKey()), timestamps, values);
    }
  }

  /** Every stored series of a resolution with at least {@code minRows} rows, keyed {@code <tenantId>/<series>}. */
  public List<SeriesData> read(String resolution, int minRows) throws IOException {
    Path dir = root.resolve(resolution);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<SeriesData> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir, 2)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".csv")).sorted().toList()) {
        String tenant = p.getParent().getFileName().toString();
        String series = p.getFileName().toString().replaceFirst("\\.csv$", "");
        SeriesData data = SeriesData.readCsv(tenant + "/" + series, p);
        if (data.size() >= minRows) {
          out.add(data);
        }
      }
    }
    return out;
  }

  private Path file(SeriesKey key) {
    return root.resolve(key.resolution().name()).resolve(safe(key.tenantId())).resolve(safe(key.series()) + ".csv");
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
