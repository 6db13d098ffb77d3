package com.ott.bridge.graphql;

import com.ott.bridge.graphql.ErrorCodes.ApiException;
import com.ott.contract.AlertAddresses;
import com.ott.contract.RulesAddresses;
import com.ott.contract.TenancyAddresses;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;

/**
 * The tenant's own records over tenancy's, the store's and the rules' bus APIs: {@code Query.tenant} (with its tier
 * plan and quota status), {@code usage}, {@code invoices}, the {@code complianceReport} (JSON, and CSV on demand),
 * and the rule settings ({@code ruleSettings}, {@code updateRuleSettings}).
 */
final class TenantData {
  private final Bus bus;

  TenantData(Bus bus) {
    this.bus = bus;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Query", t -> t
        .dataFetcher("tenant", env -> Loaders.<String>of(env, Loaders.TENANT).load(Caller.of(env).tenantId()))
        .dataFetcher("usage", this::usage)
        .dataFetcher("invoices", this::invoices)
        .dataFetcher("complianceReport", this::report)
        .dataFetcher("ruleSettings", env -> bus.<JsonObject>request(RulesAddresses.GET_SETTINGS, tenant(env))));
    wiring.type("Mutation", t -> t.dataFetcher("updateRuleSettings", env -> {
      Object overrides = env.getArgument("overrides");
      if (!(overrides instanceof java.util.Map<?, ?>)) {
        throw new ApiException(ApiError.BAD_USER_INPUT, "overrides: a JSON object of rule settings");
      }
      return bus.<JsonObject>request(RulesAddresses.PUT_SETTINGS, tenant(env)
          .put("overrides", Scalars.toJsonList(java.util.List.of(overrides)).get(0)));
    }));
    wiring.type("RuleSettings", t -> t.dataFetcher("rules", env -> {
      JsonObject rules = Alerts.json(env).getJsonObject("effective", new JsonObject()).getJsonObject("rules", new JsonObject());
      java.util.List<JsonObject> out = new java.util.ArrayList<>();
      for (String id : new java.util.TreeSet<>(rules.fieldNames())) {
        JsonObject r = rules.getJsonObject(id);
        out.add(new JsonObject().put("id", id).put("enabled", r.getBoolean("enabled", true))
            .put("severity", r.getString("severity")).put("settings", r));
      }
      return out;
    }));
    wiring.type("Tenant", t -> t
        .dataFetcher("id", env -> Alerts.json(env).getString("tenantId"))
        .dataFetcher("plan", env -> bus.<JsonObject>request(TenancyAddresses.TIER_OF, tenant(env)))
        .dataFetcher("quota", env -> bus.<JsonObject>request(TenancyAddresses.QUOTA_STATUS, tenant(env))));
    wiring.type("ComplianceReport", t -> t.dataFetcher("csv", env -> {
      JsonObject report = Alerts.json(env);
      return bus.<String>request(AlertAddresses.REPORT_COMPLIANCE, tenant(env)
          .put("from", report.getString("from")).put("to", report.getString("to")).put("format", "csv"));
    }));
  }

  private CompletableFuture<JsonObject> usage(DataFetchingEnvironment env) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate from = day(env.getArgument("from"), today.withDayOfMonth(1), "from");
    LocalDate to = day(env.getArgument("to"), today, "to");
    return bus.request(TenancyAddresses.USAGE, tenant(env).put("from", from.toString()).put("to", to.toString()));
  }

  private CompletableFuture<JsonObject> invoices(DataFetchingEnvironment env) {
    String month = env.getArgument("month");
    JsonObject request = tenant(env);
    if (month != null) {
      try {
        request.put("month", YearMonth.parse(month).toString());
      } catch (DateTimeParseException e) {
        throw new ApiException(ApiError.BAD_USER_INPUT, "month: YYYY-MM");
      }
    }
    return bus.request(TenancyAddresses.INVOICES, request);
  }

  private CompletableFuture<JsonObject> report(DataFetchingEnvironment env) {
    return bus.request(AlertAddresses.REPORT_COMPLIANCE, tenant(env)
        .put("from", env.getArgument("from")).put("to", env.getArgument("to")).put("format", "json"));
  }

  private static JsonObject tenant(DataFetchingEnvironment env) {
    return new JsonObject().put("tenantId", Caller.of(env).tenantId());
  }

  private static LocalDate day(String text, LocalDate fallback, String field) {
    if (text == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new ApiException(ApiError.BAD_USER_INPUT, field + ": a date YYYY-MM-DD");
    }
  }
}
