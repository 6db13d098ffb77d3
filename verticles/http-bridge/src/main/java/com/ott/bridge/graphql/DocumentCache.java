package com.ott.bridge.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated documents by query text: dashboards send the same few queries over and over, and parsing
 * and validating one costs more than running it. Bounded (least recently used out); the depth and complexity limits
 * still run on every execution.
 */
final class DocumentCache implements PreparsedDocumentProvider {
  private static final int MAX_QUERY_CHARS = 16_384;

  private final Map<String, PreparsedDocumentEntry> byQuery;

  DocumentCache(int maxEntries) {
    this.byQuery = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  @Override
  public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
      Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
    String query = input.getQuery();
    if (query == null || query.length() > MAX_QUERY_CHARS) {
      return CompletableFuture.completedFuture(parseAndValidate.apply(input));
    }
    PreparsedDocumentEntry entry;
    synchronized (byQuery) {
      entry = byQuery.get(query);
    }
    if (entry == null) {
      entry = parseAndValidate.apply(input);
      synchronized (byQuery) {
        byQuery.put(query, entry);
      }
    }
    return CompletableFuture.completedFuture(entry);
  }
}
