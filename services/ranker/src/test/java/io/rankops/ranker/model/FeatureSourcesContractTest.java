package io.rankops.ranker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The feature spec's sources read the same in Java as in Python: the vectors file is written from
 * the Python FeatureSpec (services/trainer/tests/vectors/generate_feature_sources.py, checked there
 * against today's synthetic world) and holds, per feature, where Python says it comes from.
 */
class FeatureSourcesContractTest {

    private static final Path VECTORS = Path.of("../trainer/tests/vectors/feature_sources.json");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void javaSortsEveryFeatureAsPythonDoes() throws Exception {
        JsonNode vectors = json.readTree(Files.readString(VECTORS));
        FeatureSpec spec = FeatureSpec.parse(vectors.path("feature_spec").toString(), json);
        Map<String, String> expected = new LinkedHashMap<>();
        vectors.path("sources").fields().forEachRemaining(f -> expected.put(f.getKey(), f.getValue().asText()));
        Map<String, String> actual = new LinkedHashMap<>();
        for (String name : expected.keySet()) {
            actual.put(name, sourceOf(spec, name));
        }
        assertEquals(expected, actual);
        assertTrue(spec.hasSources());
    }

    @Test
    void specWithoutSourcesLoadsWithEveryFeaturePerCandidate() throws Exception {
        FeatureSpec spec = FeatureSpec.parse("{\"categorical\": [{\"name\": \"item_id\", \"cardinality\": 9},"
                + " {\"name\": \"region_code\", \"cardinality\": 2}], \"numerical\": [\"log_price\"],"
                + " \"region_column\": \"region_code\", \"regions\": [\"US\", \"FR\"]}", json);
        assertEquals(List.of(), spec.itemFeatures());
        assertEquals(List.of(), spec.candidateFeatures());
        assertTrue(!spec.hasSources());
    }

    @Test
    void inconsistentSourcesAreRefusedNamingTheFeature() {
        String base = "{\"categorical\": [{\"name\": \"item_id\", \"cardinality\": 9}], \"numerical\": [\"log_price\", \"x\"], ";
        assertMessage(base + "\"item_features\": [\"nope\"]}", "item_features names unknown feature 'nope'");
        assertMessage(base + "\"item_features\": [\"x\"], \"candidate_features\": [\"x\"]}",
                "'x' is both an item and a candidate feature");
        assertMessage(base + "\"item_features\": [\"x\"], \"overridable\": [\"log_price\"]}",
                "overridable 'log_price' is not an item feature");
        assertMessage(base + "\"item_features\": [\"item_id\"]}", "'item_id' comes from the request itself");
    }

    private void assertMessage(String spec, String message) {
        BadModelException e = assertThrows(BadModelException.class, () -> FeatureSpec.parse(spec, json));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** The same names generate_feature_sources.py writes. */
    private static String sourceOf(FeatureSpec spec, String name) {
        if (name.equals(FeatureSpec.ITEM_KEY)) {
            return "item_key";
        }
        if (name.equals(spec.regionColumn())) {
            return "region";
        }
        if (spec.itemFeatures().contains(name)) {
            return spec.overridable().contains(name) ? "item_overridable" : "item";
        }
        if (spec.candidateFeatures().contains(name)) {
            return "candidate";
        }
        assertTrue(spec.isContext(name), name);
        return "context";
    }
}
