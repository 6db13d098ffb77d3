package com.ott.testkit;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class and exits (running its shutdown hooks) when standard input closes, which happens when
 * the parent process ends however it ends. Usage: {@code ParentWatch <main class> [args...]}.
 */
public final class ParentWatch {
  private ParentWatch() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: ParentWatch <main class> [args...]");
      System.exit(2);
    }
    Thread watch = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent never writes; we only wait for end of stream
        }
      } catch (IOException ignored) {
        // a broken pipe means the parent is gone too
      }
      System.err.println("parent process gone: stopping");
      System.exit(0);
    }, "parent-watch");
    watch.setDaemon(true);
    watch.start();
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
