package com.ott.bridge.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The schema's custom scalars: {@code JSON} (any JSON value) and {@code DateTime} (an RFC 3339 string). */
final class Scalars {
  private Scalars() {}

  static final GraphQLScalarType JSON = GraphQLScalarType.newScalar().name("JSON").description("Any JSON value")
      .coercing(new Coercing<Object, Object>() {
        @Override
        public Object serialize(Object value, GraphQLContext context, Locale locale) {
          return plain(value);
        }

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
          return input;
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
          return literal(input, variables);
        }
      }).build();

  static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar().name("DateTime")
      .description("RFC 3339 timestamp with offset")
      .coercing(new Coercing<String, String>() {
        @Override
        public String serialize(Object value, GraphQLContext context, Locale locale) {
          if (value == null) {
            return null;
          }
          return value.toString();
        }

        @Override
        public String parseValue(Object input, GraphQLContext context, Locale locale) {
          if (input instanceof String s && valid(s)) {
            return s;
          }
          throw new CoercingParseValueException("an RFC 3339 timestamp with offset, e.g. 2026-01-31T00:00:00Z");
        }

        @Override
        public String parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
          if (input instanceof StringValue s && valid(s.getValue())) {
            return s.getValue();
          }
          throw new CoercingParseLiteralException("an RFC 3339 timestamp with offset, e.g. 2026-01-31T00:00:00Z");
        }
      }).build();

  private static boolean valid(String s) {
    try {
      OffsetDateTime.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** JSON values as plain maps and lists, which graphql-java serialises. */
  static Object plain(Object value) {
    if (value instanceof JsonObject o) {
      Map<String, Object> m = new LinkedHashMap<>();
      o.forEach(e -> m.put(e.getKey(), plain(e.getValue())));
      return m;
    }
    if (value instanceof JsonArray a) {
      List<Object> l = new ArrayList<>(a.size());
      a.forEach(v -> l.add(plain(v)));
      return l;
    }
    if (value instanceof Map<?, ?> || value instanceof List<?> || value instanceof String || value instanceof Number
        || value instanceof Boolean || value == null) {
      return value;
    }
    throw new CoercingSerializeException("not a JSON value: " + value.getClass().getSimpleName());
  }

  /** GraphQL input values (maps, lists) as JSON for the bus. */
  static List<Object> toJsonList(List<Object> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(toJson(v));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object toJson(Object v) {
    if (v instanceof Map<?, ?> m) {
      JsonObject o = new JsonObject();
      ((Map<String, Object>) m).forEach((k, x) -> o.put(k, toJson(x)));
      return o;
    }
    if (v instanceof List<?> l) {
      JsonArray a = new JsonArray();
      l.forEach(x -> a.add(toJson(x)));
      return a;
    }
    return v;
  }

  private static Object literal(Value<?> input, CoercedVariables variables) {
    if (input instanceof NullValue) {
      return null;
    }
    if (input instanceof StringValue s) {
      return s.getValue();
    }
    if (input instanceof BooleanValue b) {
      return b.isValue();
    }
    if (input instanceof IntValue i) {
      return i.getValue().longValueExact();
    }
    if (input instanceof FloatValue f) {
      return f.getValue().doubleValue();
    }
    if (input instanceof ArrayValue a) {
      List<Object> list = new ArrayList<>();
      a.getValues().forEach(v -> list.add(literal(v, variables)));
      return list;
    }
    if (input instanceof ObjectValue o) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (ObjectField f : o.getObjectFields()) {
        map.put(f.getName(), literal(f.getValue(), variables));
      }
      return map;
    }
    if (input instanceof VariableReference v) {
      return variables.get(v.getName());
    }
    throw new CoercingParseLiteralException("not a JSON literal");
  }
}
