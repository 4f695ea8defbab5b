package io.rankops.worker.storage;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "rankops.object-store")
public interface ObjectStoreSettings {
    String endpoint();

    String accessKey();

    String secretKey();

    /** The platform's bucket: event partitions, datasets, models, reports. */
    String bucket();
}
