package com.ott.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Declarative configuration for a proxy in front of the gateway, derived from {@code conf/tiers.yaml}: Kong's
 * DB-less {@code kong.yml} or a Traefik v3 file-provider dynamic configuration, with the product's routes
 * ({@code edge.routes}), a rate limit per tier and the circuit-breaker settings of {@code edge.circuitBreaker}.
 *
 * <p>A proxy cannot read the product's API keys (only their hashes are stored), so it tells tiers apart by the
 * key id that every key starts with ({@code ott_<keyId>_...}, not secret): given {@code --tenants FILE} (tenants,
 * their tier and key ids), each tier gets routes that match its keys in {@code X-API-Key} or
 * {@code Authorization: Bearer}, each with that tier's limit, counted per key. Keys not listed get
 * {@code --default-tier} (ENTERPRISE by default: a ceiling at the edge, while the gateway itself enforces every
 * tenant's exact limit across instances). Kong OSS has neither consumer groups nor a token bucket: its
 * rate-limiting plugin gets fixed windows of {@code second = burst} and {@code minute = 60 × rate}. Kong OSS has
 * no circuit-breaker plugin either: the upstream's passive and active health checks play that part.
 */
public final class GatewayConfigExport {
  static final String USAGE = """
      Usage: scripts/gateway-config --target kong|traefik [options]

      Writes declarative configuration for fronting the product with Kong (DB-less kong.yml, _format_version 3.0)
      or Traefik v3 (file provider, dynamic configuration), derived from conf/tiers.yaml: routes for the API
      versions, one rate limit per tier, circuit breaking towards the gateway.

      Options:
        --target kong|traefik   what to generate (required)
        --out FILE              where to write it (default: standard output)
        --upstream URL          the gateway, http://host:port (default http://127.0.0.1:8080)
        --ops-port N            the gateway's ops port for Traefik's health check of /health/ready (default 9400)
        --tiers FILE            the tier definitions (default: $OTT_TIERS_FILE, else conf/tiers.yaml)
        --tenants FILE          YAML or JSON {tenants: [{tenantId, tier, keyIds: [..]}]}: routes each tier's API
                                keys to that tier's limit. From PostgreSQL, e.g.:
                                  SELECT t.tenant_id, t.tier, k.key_id FROM tenants t
                                  JOIN api_keys k USING (tenant_id) WHERE k.revoked_at IS NULL
        --default-tier TIER     the limit of keys not in --tenants (default ENTERPRISE)
        --kong-redis HOST:PORT  Kong counts in this Redis (policy redis) instead of per node (policy local)
        -h, --help              this text
      Exit codes: 0 written, 2 bad arguments or input files.
      """;

  private static final List<String> TIERS = List.of("FREE", "STANDARD", "PREMIUM", "ENTERPRISE");
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern ROUTE = Pattern.compile("/[A-Za-z0-9/_-]*");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** A tier's request rate. */
  record TierLimit(String tier, long requestsPerSecond, long burst) {}

  /** The edge settings of tiers.yaml. */
  record Edge(List<String> routes, double errorRatio, int consecutiveFailures, int openSeconds, int requestTimeoutMs) {}

  /** Everything one generation needs. */
  record Plan(Map<String, TierLimit> tiers, Edge edge, URI upstream, int opsPort, Map<String, List<String>> keyIdsByTier,
      String defaultTier, String kongRedis) {}

  private GatewayConfigExport() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        out.print(USAGE);
        return 0;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        err.println("gateway-config: unexpected argument '" + a + "' (see --help)");
        return 2;
      }
      options.put(a.substring(2), args[++i]);
    }
    try {
      String target = options.remove("target");
      if (target == null || !(target.equals("kong") || target.equals("traefik"))) {
        throw new IllegalArgumentException("--target kong|traefik is required");
      }
      String outFile = options.remove("out");
      Plan plan = plan(options);
      if (!options.isEmpty()) {
        throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
      }
      String yaml = yaml(target.equals("kong") ? kong(plan) : traefik(plan));
      if (outFile == null) {
        out.print(yaml);
      } else {
        Path path = Path.of(outFile);
        if (path.toAbsolutePath().getParent() != null) {
          Files.createDirectories(path.toAbsolutePath().getParent());
        }
        Files.writeString(path, yaml, StandardCharsets.UTF_8);
        err.println("gateway-config: wrote " + target + " configuration to " + outFile);
      }
      return 0;
    } catch (IllegalArgumentException | IOException e) {
      err.println("gateway-config: " + e.getMessage());
      return 2;
    }
  }

  static Plan plan(Map<String, String> options) throws IOException {
    String tiersFile = options.remove("tiers");
    if (tiersFile == null) {
      String env = System.getenv("OTT_TIERS_FILE");
      tiersFile = env != null && !env.isBlank() ? env : "conf/tiers.yaml";
    }
    JsonNode tiersYaml = read(Path.of(tiersFile), "tiers file");
    Map<String, TierLimit> tiers = tiers(tiersYaml);
    Edge edge = edge(tiersYaml.path("edge"));
    URI upstream = upstream(options.getOrDefault("upstream", "http://127.0.0.1:8080"));
    options.remove("upstream");
    int opsPort = port(options.getOrDefault("ops-port", "9400"), "--ops-port");
    options.remove("ops-port");
    String defaultTier = options.getOrDefault("default-tier", "ENTERPRISE").toUpperCase(Locale.ROOT);
    options.remove("default-tier");
    if (!TIERS.contains(defaultTier)) {
      throw new IllegalArgumentException("--default-tier: one of " + TIERS);
    }
    String kongRedis = options.remove("kong-redis");
    if (kongRedis != null && !kongRedis.matches("[A-Za-z0-9.-]+:\\d{1,5}")) {
      throw new IllegalArgumentException("--kong-redis: HOST:PORT");
    }
    Map<String, List<String>> keyIdsByTier = new LinkedHashMap<>();
    TIERS.forEach(t -> keyIdsByTier.put(t, new ArrayList<>()));
    String tenantsFile = options.remove("tenants");
    if (tenantsFile != null) {
      JsonNode tenants = read(Path.of(tenantsFile), "tenants file").path("tenants");
      if (!tenants.isArray()) {
        throw new IllegalArgumentException("tenants file: {tenants: [{tenantId, tier, keyIds: [..]}]}");
      }
      for (int i = 0; i < tenants.size(); i++) {
        JsonNode t = tenants.get(i);
        String tier = t.path("tier").asText("").toUpperCase(Locale.ROOT);
        if (!TIERS.contains(tier)) {
          throw new IllegalArgumentException("tenants[" + i + "].tier: one of " + TIERS);
        }
        for (JsonNode key : t.path("keyIds")) {
          if (!KEY_ID.matcher(key.asText()).matches()) {
            throw new IllegalArgumentException("tenants[" + i + "].keyIds: '" + key.asText() + "' is not a key id");
          }
          keyIdsByTier.get(tier).add(key.asText());
        }
      }
    }
    return new Plan(tiers, edge, upstream, opsPort, keyIdsByTier, defaultTier, kongRedis);
  }

  private static JsonNode read(Path file, String what) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(what + " " + file + " cannot be read");
    }
    try {
      return new YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " " + file + " is not valid YAML: " + e.getMessage());
    }
  }

  static Map<String, TierLimit> tiers(JsonNode root) {
    Map<String, TierLimit> out = new LinkedHashMap<>();
    for (String tier : TIERS) {
      JsonNode t = root.path("tiers").path(tier);
      long rps = t.path("requestsPerSecond").asLong(0);
      long burst = t.path("burst").asLong(0);
      if (!t.path("requestsPerSecond").canConvertToExactIntegral() || rps < 1 || burst < 1) {
        throw new IllegalArgumentException("tiers file: tiers." + tier + " needs requestsPerSecond and burst >= 1");
      }
      out.put(tier, new TierLimit(tier, rps, burst));
    }
    return out;
  }

  static Edge edge(JsonNode edge) {
    List<String> routes = new ArrayList<>();
    JsonNode listed = edge.path("routes");
    if (listed.isArray()) {
      listed.forEach(r -> routes.add(r.asText()));
    } else {
      routes.addAll(List.of("/api/v1", "/api/v2", "/api/v3"));
    }
    for (String r : routes) {
      if (!ROUTE.matcher(r).matches()) {
        throw new IllegalArgumentException("tiers file: edge.routes: '" + r + "' is not a path prefix");
      }
    }
    JsonNode cb = edge.path("circuitBreaker");
    double ratio = cb.path("errorRatio").asDouble(0.5);
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("tiers file: edge.circuitBreaker.errorRatio: in (0, 1]");
    }
    return new Edge(routes, ratio, Math.max(1, cb.path("consecutiveFailures").asInt(5)),
        Math.max(1, cb.path("openSeconds").asInt(10)), Math.max(1, cb.path("requestTimeoutMs").asInt(30_000)));
  }

  private static URI upstream(String raw) {
    URI uri;
    try {
      uri = URI.create(raw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--upstream: http://host:port");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null || uri.getPort() < 1) {
      throw new IllegalArgumentException("--upstream: http://host:port (with an explicit port)");
    }
    return uri;
  }

  private static int port(String raw, String name) {
    try {
      int p = Integer.parseInt(raw);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(name + ": a port number");
  }

  /** The key ids of a tier as one regular expression alternative, or null when it has none. */
  private static String keyAlternatives(List<String> keyIds) {
    return keyIds.isEmpty() ? null : "(" + String.join("|", keyIds) + ")";
  }

  private static String slug(String route) {
    String s = route.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return s.isEmpty() ? "root" : s;
  }

  static ObjectNode kong(Plan plan) {
    ObjectNode root = JSON.objectNode();
    root.put("_format_version", "3.0");
    String upstreamName = "ott-gateway.upstream";
    Edge edge = plan.edge();
    ObjectNode upstream = root.putArray("upstreams").addObject();
    upstream.put("name", upstreamName).put("algorithm", "round-robin");
    upstream.putArray("tags").add("ott");
    ObjectNode health = upstream.putObject("healthchecks");
    // Kong OSS's circuit breaker: a target failing this often is taken out of rotation ...
    ObjectNode passive = health.putObject("passive");
    passive.put("type", plan.upstream().getScheme());
    passive.putObject("unhealthy").put("http_failures", edge.consecutiveFailures()).put("tcp_failures", edge.consecutiveFailures())
        .put("timeouts", edge.consecutiveFailures()).set("http_statuses", ints(500, 502, 503, 504));
    // ... and an active probe brings it back: an unauthenticated call answers 401 while the gateway serves
    ObjectNode active = health.putObject("active");
    active.put("type", plan.upstream().getScheme()).put("http_path", "/api/v2/usage").put("timeout", 2);
    active.putObject("healthy").put("interval", edge.openSeconds()).put("successes", 1).set("http_statuses", ints(200, 401));
    active.putObject("unhealthy").put("interval", edge.openSeconds()).put("http_failures", edge.consecutiveFailures())
        .put("tcp_failures", edge.consecutiveFailures()).put("timeouts", edge.consecutiveFailures())
        .set("http_statuses", ints(500, 502, 503, 504));
    ObjectNode target = ((ArrayNode) upstream.putArray("targets")).addObject();
    target.put("target", plan.upstream().getHost() + ":" + plan.upstream().getPort());

    ObjectNode service = root.putArray("services").addObject();
    service.put("name", "ott-gateway").put("protocol", plan.upstream().getScheme()).put("host", upstreamName)
        .put("port", plan.upstream().getPort()).put("connect_timeout", 5000)
        .put("read_timeout", edge.requestTimeoutMs()).put("write_timeout", edge.requestTimeoutMs()).put("retries", 1);
    service.putArray("tags").add("ott");
    ArrayNode routes = service.putArray("routes");
    for (String prefix : edge.routes()) {
      // keys without a listed tier: the default tier, counted per X-API-Key or per Authorization value
      routes.add(kongRoute("ott-" + slug(prefix), prefix, null, null, plan.tiers().get(plan.defaultTier()), "x-api-key", plan));
      routes.add(kongRoute("ott-" + slug(prefix) + "-bearer", prefix, "authorization", "~*^bearer ", plan.tiers().get(plan.defaultTier()),
          "authorization", plan));
      for (String tier : TIERS) {
        String keys = keyAlternatives(plan.keyIdsByTier().get(tier));
        if (keys == null) {
          continue;
        }
        String name = "ott-" + slug(prefix) + "-" + tier.toLowerCase(Locale.ROOT);
        routes.add(kongRoute(name + "-apikey", prefix, "x-api-key", "~*^ott_" + keys + "_", plan.tiers().get(tier), "x-api-key", plan));
        routes.add(kongRoute(name + "-bearer", prefix, "authorization", "~*^bearer +ott_" + keys + "_", plan.tiers().get(tier),
            "authorization", plan));
      }
    }
    return root;
  }

  private static ObjectNode kongRoute(String name, String prefix, String header, String headerRegex, TierLimit limit,
      String limitBy, Plan plan) {
    ObjectNode route = JSON.objectNode();
    route.put("name", name);
    route.putArray("paths").add(prefix);
    route.put("strip_path", false).put("preserve_host", true);
    route.putArray("protocols").add("http").add("https");
    if (header != null) {
      route.putObject("headers").putArray(header).add(headerRegex);
    }
    route.putArray("tags").add("ott").add("tier-" + limit.tier().toLowerCase(Locale.ROOT));
    ObjectNode plugin = route.putArray("plugins").addObject();
    plugin.put("name", "rate-limiting");
    plugin.putArray("tags").add("ott");
    ObjectNode config = plugin.putObject("config");
    // fixed windows: bursts up to `burst` in one second, the tier's rate over a minute
    config.put("second", limit.burst()).put("minute", limit.requestsPerSecond() * 60)
        .put("limit_by", "header").put("header_name", limitBy)
        .put("fault_tolerant", true).put("hide_client_headers", false).put("error_code", 429)
        .put("error_message", "rate limit of tier " + limit.tier() + " exceeded");
    if (plan.kongRedis() == null) {
      config.put("policy", "local");
    } else {
      String[] hostPort = plan.kongRedis().split(":");
      config.put("policy", "redis");
      config.putObject("redis").put("host", hostPort[0]).put("port", Integer.parseInt(hostPort[1]));
    }
    return route;
  }

  static ObjectNode traefik(Plan plan) {
    ObjectNode root = JSON.objectNode();
    ObjectNode http = root.putObject("http");
    ObjectNode routers = http.putObject("routers");
    ObjectNode middlewares = http.putObject("middlewares");
    ObjectNode services = http.putObject("services");
    Edge edge = plan.edge();

    String breaker = "ott-circuit-breaker";
    String ratio = String.format(Locale.ROOT, "%.2f", edge.errorRatio());
    middlewares.putObject(breaker).putObject("circuitBreaker")
        .put("expression", "NetworkErrorRatio() > " + ratio + " || ResponseCodeRatio(500, 600, 0, 600) > " + ratio
            + " || LatencyAtQuantileMS(99.0) > " + edge.requestTimeoutMs())
        .put("checkPeriod", "100ms")
        .put("fallbackDuration", edge.openSeconds() + "s")
        .put("recoveryDuration", edge.openSeconds() + "s")
        .put("responseCode", 503);
    for (TierLimit limit : plan.tiers().values()) {
      for (String header : List.of("X-API-Key", "Authorization")) {
        middlewares.putObject(rateLimitName(limit.tier(), header)).putObject("rateLimit")
            .put("average", limit.requestsPerSecond()).put("period", "1s").put("burst", limit.burst())
            .putObject("sourceCriterion").put("requestHeaderName", header);
      }
    }
    ObjectNode lb = services.putObject("ott-gateway").putObject("loadBalancer");
    lb.putArray("servers").addObject().put("url", plan.upstream().toString());
    lb.put("passHostHeader", true);
    lb.putObject("healthCheck").put("path", "/health/ready").put("port", plan.opsPort())
        .put("interval", edge.openSeconds() + "s").put("timeout", "2s");

    for (String prefix : edge.routes()) {
      String path = "PathPrefix(`" + prefix + "`)";
      String base = "ott-" + slug(prefix);
      // the longer, more specific rule wins: tier routes (priority 30) over the bearer default (20) over the default (10)
      traefikRouter(routers, base, path, 10, breaker, rateLimitName(plan.defaultTier(), "X-API-Key"));
      traefikRouter(routers, base + "-bearer", path + " && HeaderRegexp(`Authorization`, `(?i)^bearer `)", 20, breaker,
          rateLimitName(plan.defaultTier(), "Authorization"));
      for (String tier : TIERS) {
        String keys = keyAlternatives(plan.keyIdsByTier().get(tier));
        if (keys == null) {
          continue;
        }
        String name = base + "-" + tier.toLowerCase(Locale.ROOT);
        traefikRouter(routers, name + "-apikey", path + " && HeaderRegexp(`X-API-Key`, `^ott_" + keys + "_`)", 30, breaker,
            rateLimitName(tier, "X-API-Key"));
        traefikRouter(routers, name + "-bearer", path + " && HeaderRegexp(`Authorization`, `(?i)^bearer +ott_" + keys + "_`)", 30,
            breaker, rateLimitName(tier, "Authorization"));
      }
    }
    return root;
  }

  private static void traefikRouter(ObjectNode routers, String name, String rule, int priority, String breaker, String rateLimit) {
    ObjectNode router = routers.putObject(name);
    router.put("rule", rule).put("priority", priority).put("service", "ott-gateway");
    // rate limit first: refused requests do not count as the upstream's failures
    router.putArray("middlewares").add(rateLimit).add(breaker);
  }

  private static String rateLimitName(String tier, String header) {
    return "ott-ratelimit-" + tier.toLowerCase(Locale.ROOT) + "-" + (header.equals("Authorization") ? "bearer" : "apikey");
  }

  private static ArrayNode ints(int... values) {
    ArrayNode a = JSON.arrayNode();
    for (int v : values) {
      a.add(v);
    }
    return a;
  }

  static String yaml(JsonNode document) throws IOException {
    YAMLMapper mapper = new YAMLMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .disable(YAMLGenerator.Feature.SPLIT_LINES)
        .build());
    return "# generated by scripts/gateway-config from the tier definitions; do not edit by hand\n"
        + mapper.writeValueAsString(document);
  }
}
