package io.rankops.platform.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where the S3-compatible store is (MinIO locally) and the platform's bucket; the same keys in every service. */
@ConfigMapping(prefix = "rankops.object-store")
public interface ObjectStoreSettings {
    String endpoint();

    String accessKey();

    String secretKey();

    /** The platform's bucket: event partitions, datasets, models, reports. */
    @WithDefault("rankops")
    String bucket();

    /** The MinIO console, for links in the UI; absent where there is none. */
    Optional<String> consoleUrl();
}
