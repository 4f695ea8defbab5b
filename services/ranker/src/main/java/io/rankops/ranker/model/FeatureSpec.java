package io.rankops.ranker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The column order of the model's two input tensors, read from its ONNX metadata
 * ({@code rankops.feature_spec}); docs/models.md defines it.
 *
 * @param categorical names of the cat_features columns, in order
 * @param numerical names of the num_features columns, in order
 * @param regionColumn the categorical column holding the region index (null when the model has none)
 * @param regions region names; a region's index in this list is its code
 */
public record FeatureSpec(List<String> categorical, List<String> numerical, String regionColumn, List<String> regions) {

    public static FeatureSpec parse(String json, ObjectMapper mapper) throws BadModelException {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (Exception e) {
            throw new BadModelException("rankops.feature_spec is not JSON: " + e.getMessage(), e);
        }
        List<String> categorical = new ArrayList<>();
        for (JsonNode column : root.path("categorical")) {
            String name = column.isTextual() ? column.asText() : column.path("name").asText("");
            if (name.isEmpty()) {
                throw new BadModelException("rankops.feature_spec: a categorical column has no name");
            }
            categorical.add(name);
        }
        List<String> numerical = new ArrayList<>();
        for (JsonNode column : root.path("numerical")) {
            numerical.add(column.isTextual() ? column.asText() : column.path("name").asText());
        }
        if (categorical.isEmpty() && numerical.isEmpty()) {
            throw new BadModelException("rankops.feature_spec lists no features");
        }
        String regionColumn = root.path("region_column").isTextual() ? root.path("region_column").asText() : null;
        List<String> regions = new ArrayList<>();
        root.path("regions").forEach(r -> regions.add(r.asText()));
        if (regionColumn != null && !categorical.contains(regionColumn)) {
            throw new BadModelException("rankops.feature_spec: region_column '" + regionColumn + "' is not a categorical column");
        }
        return new FeatureSpec(List.copyOf(categorical), List.copyOf(numerical), regionColumn, List.copyOf(regions));
    }

    /** The region's code, or -1 when the model does not know it. */
    public int regionIndex(String region) {
        return regions.indexOf(region);
    }
}
