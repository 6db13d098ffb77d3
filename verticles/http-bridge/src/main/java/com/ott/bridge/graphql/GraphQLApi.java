package com.ott.bridge.graphql;

import com.ott.bridge.auth.Credentials;
import com.ott.bridge.auth.OriginCheck;
import com.ott.bridge.auth.Principal;
import com.ott.bridge.auth.TenantResolver;
import com.ott.bridge.topics.Topics;
import com.ott.contract.Failures;
import com.ott.runtime.ProcessRuntime;
import graphql.GraphQL;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.graphql.GraphQLHandler;
import io.vertx.ext.web.handler.graphql.GraphQLHandlerOptions;
import io.vertx.ext.web.handler.graphql.GraphiQLHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandlerOptions;
import io.vertx.ext.web.handler.graphql.instrumentation.JsonObjectAdapter;
import io.vertx.ext.web.handler.graphql.ws.GraphQLWSHandler;
import io.vertx.ext.web.handler.graphql.ws.GraphQLWSOptions;
import io.vertx.ext.web.handler.graphql.ws.Message;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The GraphQL API: {@code /graphql} over HTTP (POST and GET, credentials as for REST) and over
 * {@code graphql-transport-ws} (credentials in the {@code connection_init} payload), and GraphiQL at
 * {@code /graphiql} when enabled. Every operation runs as the caller's tenant, with depth and complexity limits,
 * DataLoaders, and error codes in {@code extensions.code}.
 */
public final class GraphQLApi {
  /** {@code bridge.graphql.*} configuration. */
  public record Settings(int maxDepth, int maxComplexity, int maxFirst, int maxBatch, int maxQueuedEvents,
                         long maxQueuedBytes, long requestTimeoutMs, long maxBatchBytes, boolean graphiql) {}

  private final Vertx vertx;
  private final TenantResolver resolver;
  private final OriginCheck origins;
  private final Settings settings;
  private final Bus bus;
  private final GraphQL graphQL;

  public GraphQLApi(Vertx vertx, Context context, Topics topics, TenantResolver resolver, OriginCheck origins, Settings settings) {
    this.vertx = vertx;
    this.resolver = resolver;
    this.origins = origins;
    this.settings = settings;
    this.bus = new Bus(vertx, settings.requestTimeoutMs());
    RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring().scalar(Scalars.JSON).scalar(Scalars.DATE_TIME);
    new Alerts(bus, settings.maxFirst()).wire(wiring);
    new TenantData(bus).wire(wiring);
    new Events(bus, settings.maxBatchBytes()).wire(wiring);
    new Streams(topics, context, settings.maxQueuedEvents()).wire(wiring);
    GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl()), wiring.build());
    ErrorCodes errors = new ErrorCodes();
    this.graphQL = GraphQL.newGraphQL(schema)
        .instrumentation(new ChainedInstrumentation(List.of(
            new JsonObjectAdapter(),
            QueryLimits.depth(settings.maxDepth()),
            QueryLimits.complexity(settings.maxComplexity()),
            errors,
            new SharedSubscriptions(context, settings.maxQueuedEvents(), ProcessRuntime.of(vertx).meters()))))
        .defaultDataFetcherExceptionHandler(errors)
        .preparsedDocumentProvider(new DocumentCache(500))
        .build();
  }

  /** The schema in SDL, as served. */
  public static String sdl() {
    try (InputStream in = GraphQLApi.class.getResourceAsStream("/com/ott/bridge/graphql/schema.graphqls")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the GraphQL schema is missing from the classpath", e);
    }
  }

  public GraphQL graphQL() {
    return graphQL;
  }

  /** Mounts {@code /graphql} (WebSocket first, on the same path) and, when enabled, {@code /graphiql}. */
  public void mount(Router router) {
    GraphQLWSHandler ws = GraphQLWSHandler.builder(graphQL)
        .with(new GraphQLWSOptions().setConnectionInitWaitTimeout(10_000))
        .onConnectionInit(init -> {
          JsonObject payload = init.message().message().getJsonObject("payload");
          resolver.resolve(Credentials.fromJson(payload)).onComplete(ar -> {
            if (ar.succeeded()) {
              // what may wait to be written to this client: past it, subscriptions end as slow consumers
              init.message().socket().setWriteQueueMaxSize((int) Math.min(Integer.MAX_VALUE, settings.maxQueuedBytes()));
              init.complete(ar.result());
            } else {
              init.fail(ar.cause());
            }
          });
        })
        .beforeExecute(input -> {
          Message message = input.context();
          Principal principal = (Principal) message.connectionParams();
          input.builder()
              .graphQLContext(Map.of(Caller.class,
                  new Caller(principal, message.socket(), message.message().getString("id"))))
              .dataLoaderRegistry(Loaders.registry(bus, principal.tenantId(), settings.maxBatch()));
        })
        .build();
    router.route("/graphql").handler(ctx -> {
      // a browser page of another site must not open a socket with its visitor's network position
      if (ctx.request().canUpgradeToWebSocket() && !origins.permits(ctx.request().headers())) {
        fail(ctx, 403, ApiError.FORBIDDEN, "WebSocket from a foreign origin");
        return;
      }
      ctx.next();
    });
    router.route("/graphql").handler(ws);

    GraphQLHandler http = GraphQLHandler.builder(graphQL)
        .with(new GraphQLHandlerOptions().setRequestBatchingEnabled(false))
        .beforeExecute(input -> {
          Principal principal = input.context().get(Principal.class.getName());
          input.builder()
              .graphQLContext(Map.of(Caller.class, new Caller(principal, null)))
              .dataLoaderRegistry(Loaders.registry(bus, principal.tenantId(), settings.maxBatch()));
        })
        .build();
    // a route of its own: Vert.x Web runs the body handler before user handlers of the same route
    router.post("/graphql").handler(BodyHandler.create(false).setBodyLimit(settings.maxBatchBytes() + 65_536));
    router.route("/graphql").handler(this::authenticate).handler(http);
    router.route("/graphql").failureHandler(ctx -> {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      fail(ctx, status, status == 500 ? ApiError.INTERNAL_SERVER_ERROR : ApiError.ofStatus(status),
          status == 500 ? "an unexpected error" : status == 413 ? "the request body is too large" : "a malformed GraphQL request");
    });

    if (settings.graphiql()) {
      GraphiQLHandlerOptions options = new GraphiQLHandlerOptions().setEnabled(true).setGraphQLUri("/graphql")
          .setGraphQLWSEnabled(true)
          .setHeaders(Map.of("x-api-key", "<your API key>"))
          .setWsConnectionParams(new JsonObject().put("x-api-key", "<your API key>"));
      router.route("/graphiql/*").subRouter(GraphiQLHandler.create(vertx, options).router());
    }
  }

  private void authenticate(RoutingContext ctx) {
    resolver.resolve(Credentials.fromHeaders(ctx.request().headers())).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.put(Principal.class.getName(), ar.result());
        ctx.next();
      } else {
        int status = Failures.statusOf(ar.cause());
        if (status == Failures.UNAUTHORIZED) {
          ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        fail(ctx, status, ApiError.ofStatus(status), ar.cause().getMessage());
      }
    });
  }

  private static void fail(RoutingContext ctx, int status, ApiError code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    JsonObject error = new JsonObject().put("message", message)
        .put("extensions", new JsonObject().put("code", code.name()).put("status", status));
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("errors", new JsonArray().add(error)).encode());
  }
}
