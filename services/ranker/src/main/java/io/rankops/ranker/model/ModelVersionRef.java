package io.rankops.ranker.model;

import io.rankops.platform.names.RegistryNames;

/**
 * A registered model version as MLflow describes it: its number, its artifact URI and, when
 * registration recorded one (tag {@code rankops.onnx_sha256}), the SHA-256 its bytes must have;
 * and the item feature snapshot it is served with ({@code rankops.item_snapshot_uri} /
 * {@code _sha256}), null for a model served with every feature per candidate.
 */
public record ModelVersionRef(String version, String source, String sha256, String itemSnapshotUri,
        String itemSnapshotSha256) {

    /** The version tag the pipeline's registration writes: hex SHA-256 of the artifact it checked. */
    public static final String SHA256_TAG = RegistryNames.ONNX_SHA256_TAG;
    public static final String ITEM_SNAPSHOT_URI_TAG = RegistryNames.ITEM_SNAPSHOT_URI_TAG;
    public static final String ITEM_SNAPSHOT_SHA256_TAG = RegistryNames.ITEM_SNAPSHOT_SHA256_TAG;

    public ModelVersionRef(String version, String source, String sha256) {
        this(version, source, sha256, null, null);
    }

    /** A version registered without a digest (by hand, or before registration recorded one). */
    public ModelVersionRef(String version, String source) {
        this(version, source, null, null, null);
    }
}
