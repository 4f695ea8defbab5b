package io.rankops.api.input;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * How request bodies are read (the resources' {@code @CustomDeserialization}): a body means exactly
 * what it says or is refused with a 400 naming the field. Jackson's lenient defaults would otherwise
 * turn mistakes into runs with other parameters than the caller meant: an unknown (misspelt) field
 * silently ignored, {@code "epochs": "3"} or {@code 2.7} taken as 3 or 2, {@code "start": 20000}
 * taken as an epoch day, a repeated key's last value winning, trailing garbage after the object
 * ignored. Strings must be clean text ({@link TextHygiene}). Responses and the API's own JSON
 * (step details, audit states) keep the application's ordinary mapper.
 */
public final class StrictJson implements BiFunction<ObjectMapper, Type, ObjectReader> {

    private static final Map<ObjectMapper, ObjectMapper> STRICT = new ConcurrentHashMap<>();

    @Override
    public ObjectReader apply(ObjectMapper mapper, Type type) {
        ObjectMapper strict = STRICT.computeIfAbsent(mapper, StrictJson::strict);
        return strict.readerFor(strict.constructType(type));
    }

    /** A copy of the application's mapper (modules, date handling) with every leniency switched off. */
    public static ObjectMapper strict(ObjectMapper base) {
        ObjectMapper strict = base.copy();
        strict.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        strict.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        strict.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        strict.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        strict.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        strict.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            strict.coercionConfigFor(scalar)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        strict.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Dates only as ISO text ("2025-01-31"), never as epoch-day numbers or [y, m, d] arrays.
        strict.configOverride(LocalDate.class).setFormat(JsonFormat.Value.forLeniency(false));
        strict.registerModule(new SimpleModule("rankops-clean-text").addDeserializer(String.class, new CleanText()));
        return strict;
    }

    /** Strings as Jackson reads them, refused when they are no clean text. */
    static final class CleanText extends StdScalarDeserializer<String> {

        CleanText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token != null && token.isScalarValue() && token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL) {
                // A number or boolean where text belongs: a wrong type, not something to stringify.
                return (String) context.handleUnexpectedToken(String.class, parser);
            }
            String value = StringDeserializer.instance.deserialize(parser, context);
            String problem = TextHygiene.problem(value);
            if (problem != null) {
                throw InvalidFormatException.from(parser, problem, value, String.class);
            }
            return value;
        }
    }
}
