package org.tianshu.rest;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The strict JSON mapping of the API: unknown fields and wrong types are errors naming the field. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {
    }

    /** Parses {@code body} as {@code type}; a 400 {@link ApiProblem} naming the field otherwise. */
    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiProblem.badRequest("body", "a JSON request body is required");
        }
        T value;
        try {
            value = MAPPER.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(Object::toString)
                    .sorted().collect(Collectors.joining(", "));
            throw ApiProblem.badRequest(path(e), "unknown field '" + path(e) + "'"
                    + (known.isEmpty() ? "" : "; known fields: " + known));
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field == null) {
                throw ApiProblem.badRequest("body", "request body must be a JSON object: " + e.getOriginalMessage());
            }
            String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
            throw ApiProblem.badRequest(field, "field '" + field + "' has the wrong type: expected " + expected);
        } catch (DatabindException e) {
            String field = e instanceof JsonMappingException m ? path(m) : null;
            if (e.getCause() instanceof StreamReadException cause) {
                // a syntax error inside a map or collection, wrapped by its deserializer
                throw malformed(cause, field);
            }
            throw ApiProblem.badRequest(field == null ? "body" : field, "invalid value"
                    + (field == null ? "" : " of field '" + field + "'") + ": " + e.getOriginalMessage());
        } catch (StreamReadException e) {
            throw malformed(e, null);
        } catch (IOException e) {
            throw ApiProblem.badRequest("body", "unreadable request body: " + e.getMessage());
        }
        if (value == null) {
            throw ApiProblem.badRequest("body", "a JSON object is required, got null");
        }
        return value;
    }

    private static ApiProblem malformed(StreamReadException e, String fallbackField) {
        String field = e.getProcessor() == null ? null : path(e.getProcessor().getParsingContext());
        field = field == null ? fallbackField : field;
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return ApiProblem.badRequest(field == null ? "body" : field, "malformed JSON" + where
                + (field == null ? "" : " (in field '" + field + "')") + ": " + e.getOriginalMessage());
    }

    /** Serializes {@code value}. */
    static byte[] write(Object value) throws IOException {
        return MAPPER.writeValueAsBytes(value);
    }

    /** Dotted path of the field at fault, e.g. {@code options.zone} or {@code items[2]}; null at the root. */
    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static String path(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.add(0, "." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        String p = String.join("", parts);
        p = p.startsWith(".") ? p.substring(1) : p;
        return p.isEmpty() ? null : p;
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return type.getSimpleName();
    }
}
