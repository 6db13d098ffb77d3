package com.ott.scoring.bench;

import com.ott.scoring.detect.BatchDetector;
import com.ott.scoring.detect.ErrorNormaliser;
import com.ott.scoring.model.ModelKind;
import com.ott.scoring.model.ModelStore;
import com.ott.scoring.model.NetworkTrainer;
import com.ott.scoring.model.ScoringModels;
import com.ott.scoring.train.ModelTraining;
import com.ott.scoring.train.SeriesData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/bench-scoring}: training time per network on one NAB file (its probationary rows, as
 * {@code scripts/detect} trains), batched scoring throughput in windows per second of each network and of the
 * ensemble (both networks plus the normalisers), and the memory of the process.
 */
public final class ScoringBench {
  private ScoringBench() {}

  public static void main(String[] args) throws Exception {
    Path nabFile = Path.of("../shared/data/nab/realKnownCause/nyc_taxi.csv");
    int epochs = 40;
    int windows = 200_000;
    int threads = 0;
    double seconds = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--nab-file" -> nabFile = Path.of(args[i + 1]);
        case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
        case "--windows" -> windows = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (threads > 0) {
      System.setProperty("ai.djl.tensorflow.num_intraop_threads", String.valueOf(threads));
      System.setProperty("ai.djl.tensorflow.num_interop_threads", "1");
    }
    Path dir = Files.createTempDirectory("ott-bench-models");
    List<String[]> rows = new ArrayList<>();
    try {
      SeriesData all = SeriesData.readCsv("bench/" + nabFile.getFileName(), nabFile);
      int probation = (int) Math.min(Math.floor(0.15 * all.size()), 750);
      SeriesData series = all.trainingRows(0, probation);
      ModelStore store = new ModelStore(dir);
      ModelTraining.Outcome outcome = ModelTraining.train(store, "bench", List.of(series),
          ModelTraining.Settings.defaults().withOptions(NetworkTrainer.Options.defaults().withEpochs(epochs).withThreads(threads)), true);
      var training = outcome.metadata().getJsonObject("training");
      for (ModelKind kind : ModelKind.values()) {
        rows.add(new String[] {"training " + kind.id() + " (" + nabFile.getFileName() + ", " + probation + " rows, "
            + epochs + " epochs)", String.format(Locale.ROOT, "%.1f s", training.getJsonObject(kind.id()).getDouble("seconds"))});
      }

      ScoringModels models = ScoringModels.load(outcome.version());
      try {
        float[][] batch = windowsOf(all, models, windows);
        for (ModelKind kind : ModelKind.values()) {
          double rate = rate(seconds, batch.length, () -> models.network(kind).errors(batch));
          rows.add(new String[] {"scoring " + kind.id() + " (batches of 1024)", String.format(Locale.ROOT, "%,.0f windows/s", rate)});
        }
        // the file repeated until it holds as many windows as the throughput runs above
        double[] tiled = new double[windows + models.metadata().window() - 1];
        for (int i = 0; i < tiled.length; i++) {
          tiled[i] = all.values()[i % all.size()];
        }
        SeriesData scored = new SeriesData(series.key(), null, tiled, 0, probation);
        double rate = rate(seconds, windows, () -> BatchDetector.score(models, scored, ErrorNormaliser.Settings.DEFAULTS));
        rows.add(new String[] {"scoring ensemble (both networks + normalisers)", String.format(Locale.ROOT, "%,.0f windows/s", rate)});
      } finally {
        models.retire();
      }
      Runtime rt = Runtime.getRuntime();
      rows.add(new String[] {"process memory: resident now / peak", status("VmRSS") + " / " + status("VmHWM")});
      rows.add(new String[] {"JVM heap used / max", (rt.totalMemory() - rt.freeMemory()) / (1 << 20) + " MiB / " + rt.maxMemory() / (1 << 20) + " MiB"});
    } finally {
      ModelStore.deleteRecursively(dir);
    }
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
    System.out.printf("%-" + width + "s  %s%n", "scoring benchmark", "result");
    for (String[] r : rows) {
      System.out.printf("%-" + width + "s  %s%n", r[0], r[1]);
    }
  }

  private static float[][] windowsOf(SeriesData all, ScoringModels models, int count) {
    var norm = models.metadata().normalisation(all.key());
    int w = models.metadata().window();
    float[][] out = new float[count][w];
    int n = all.size() - w + 1;
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < w; j++) {
        out[i][j] = norm.apply(all.values()[(i % n) + j]);
      }
    }
    return out;
  }

  /** Windows per second over repeated runs for at least {@code seconds}, after one warm-up run. */
  private static double rate(double seconds, int windows, Runnable run) {
    run.run();
    long start = System.nanoTime();
    long done = 0;
    while (System.nanoTime() - start < seconds * 1e9) {
      run.run();
      done += windows;
    }
    return done / ((System.nanoTime() - start) / 1e9);
  }

  private static String status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return kb / 1024 + " MiB";
        }
      }
    } catch (Exception ignored) {
      // not Linux
    }
    return "n/a";
  }
}
