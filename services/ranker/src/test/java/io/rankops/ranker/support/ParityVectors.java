package io.rankops.ranker.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feature rows and the outputs Python ONNX Runtime computed for them
 * (src/test/resources/models/make_parity_vectors.py).
 */
public record ParityVectors(List<Case> cases) {

    public static ParityVectors load(String resource) {
        try {
            JsonNode root = new ObjectMapper().readTree(StackFixture.resource(resource));
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.path("cases")) {
                Map<String, Number> features = new LinkedHashMap<>();
                c.path("features").fields().forEachRemaining(f -> features.put(f.getKey(),
                        f.getValue().isIntegralNumber() ? (Number) f.getValue().longValue() : (Number) f.getValue().doubleValue()));
                Map<String, Float> expected = new LinkedHashMap<>();
                c.path("expected").fields().forEachRemaining(f -> expected.put(f.getKey(), (float) f.getValue().doubleValue()));
                cases.add(new Case(c.path("region").asText(), features, expected));
            }
            return new ParityVectors(cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param expected output name (p_click, p_cart, p_purchase, score) -> value */
    public record Case(String region, Map<String, Number> features, Map<String, Float> expected) {
    }
}
