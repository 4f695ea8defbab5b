package io.rankops.ranker.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.rankops.ranker.RankerSettings;
import jakarta.inject.Singleton;

/**
 * The ranker reads request bodies strictly: a body that two parsers could read differently, or
 * that only costs memory, is a 400 ({@link JsonErrors}) before anything is ranked or counted.
 * Duplicate keys (which value wins?), tokens after the document, fields no request has, and
 * nesting deeper than {@code rankops.ranker.max-json-depth} are refused; NaN and Infinity are not
 * JSON and stay refused. The size of the whole body is bounded by
 * {@code quarkus.http.limits.max-body-size}.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    private final int maxDepth;

    public StrictJson(RankerSettings settings) {
        this.maxDepth = settings.maxJsonDepth();
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth)
                // a number of a thousand digits is not a feature value, and parsing it costs quadratic time
                .maxNumberLength(100).build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // Feature columns are thousands of decimals: the JDK's parser is half the cost of a compact request.
        mapper.enable(JsonParser.Feature.USE_FAST_DOUBLE_PARSER);
        mapper.enable(JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
