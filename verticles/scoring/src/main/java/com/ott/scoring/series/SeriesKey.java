package com.ott.scoring.series;

/** One live series: a tenant's metric at one resolution. {@link #modelKey()} names it in model metadata. */
public record SeriesKey(String tenantId, String series, Resolution resolution) {
  public String modelKey() {
    return tenantId + "/" + series;
  }
}
