package io.rankops.ranker.model;

import io.rankops.platform.names.RegistryNames;

/**
 * A registered model version as MLflow describes it: its number, its artifact URI and, when
 * registration recorded one (tag {@code rankops.onnx_sha256}), the SHA-256 its bytes must have.
 */
public record ModelVersionRef(String version, String source, String sha256) {

    /** The version tag the pipeline's registration writes: hex SHA-256 of the artifact it checked. */
    public static final String SHA256_TAG = RegistryNames.ONNX_SHA256_TAG;

    /** A version registered without a digest (by hand, or before registration recorded one). */
    public ModelVersionRef(String version, String source) {
        this(version, source, null);
    }
}
