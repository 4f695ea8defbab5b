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
 * @param itemFeatures features served from the item snapshot, keyed by {@code item_id} (empty in
 *     specs from before feature sources: then every feature comes per candidate)
 * @param candidateFeatures features the caller sends per candidate (they depend on query or buyer)
 * @param overridable item features a request may override per candidate (a live price)
 */
public record FeatureSpec(List<String> categorical, List<String> numerical, String regionColumn, List<String> regions,
        List<String> itemFeatures, List<String> candidateFeatures, List<String> overridable) {

    /** The snapshot's key column and the categorical column filled from a request's item ids. */
    public static final String ITEM_KEY = "item_id";

    /** A spec without feature sources: every feature per candidate, as before snapshots. */
    public FeatureSpec(List<String> categorical, List<String> numerical, String regionColumn, List<String> regions) {
        this(categorical, numerical, regionColumn, regions, List.of(), List.of(), List.of());
    }

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
        List<String> names = new ArrayList<>(categorical);
        names.addAll(numerical);
        List<String> itemFeatures = names(root, "item_features", names);
        List<String> candidateFeatures = names(root, "candidate_features", names);
        List<String> overridable = names(root, "overridable", names);
        for (String name : itemFeatures) {
            if (candidateFeatures.contains(name)) {
                throw new BadModelException("rankops.feature_spec: '" + name + "' is both an item and a candidate feature");
            }
        }
        for (String name : overridable) {
            if (!itemFeatures.contains(name)) {
                throw new BadModelException("rankops.feature_spec: overridable '" + name + "' is not an item feature");
            }
        }
        for (String keyed : new String[] {ITEM_KEY, regionColumn}) {
            if (keyed != null && (itemFeatures.contains(keyed) || candidateFeatures.contains(keyed))) {
                throw new BadModelException("rankops.feature_spec: '" + keyed + "' comes from the request itself");
            }
        }
        return new FeatureSpec(List.copyOf(categorical), List.copyOf(numerical), regionColumn, List.copyOf(regions),
                itemFeatures, candidateFeatures, overridable);
    }

    private static List<String> names(JsonNode root, String field, List<String> known) throws BadModelException {
        List<String> out = new ArrayList<>();
        for (JsonNode name : root.path(field)) {
            if (!known.contains(name.asText())) {
                throw new BadModelException("rankops.feature_spec: " + field + " names unknown feature '" + name.asText() + "'");
            }
            out.add(name.asText());
        }
        return List.copyOf(out);
    }

    /** True when the spec says where its features come from (an item snapshot can serve it). */
    public boolean hasSources() {
        return !itemFeatures.isEmpty();
    }

    /** A feature that is the same for every candidate of a request (user, query, request). */
    public boolean isContext(String name) {
        return !ITEM_KEY.equals(name) && !itemFeatures.contains(name) && !candidateFeatures.contains(name);
    }

    /** The region's code, or -1 when the model does not know it. */
    public int regionIndex(String region) {
        return regions.indexOf(region);
    }
}
