package com.ott.scoring.series;

/** A bucket size of the live series: {@code minute} (60 s) and {@code hour} (3600 s) by default. */
public record Resolution(String name, long seconds) {
  public long millis() {
    return seconds * 1000;
  }
}
