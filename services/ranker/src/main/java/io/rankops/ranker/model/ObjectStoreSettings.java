package io.rankops.ranker.model;

import io.smallrye.config.ConfigMapping;

/** The S3-compatible store holding model artifacts (MinIO locally). */
@ConfigMapping(prefix = "rankops.object-store")
public interface ObjectStoreSettings {
    String endpoint();

    String accessKey();

    String secretKey();
}
