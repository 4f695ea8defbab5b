package io.rankops.worker.rollout;

import io.smallrye.config.ConfigMapping;

/** Where the ranker's admin API is, and the credential only the worker holds. */
@ConfigMapping(prefix = "rankops.ranker")
public interface RankerSettings {
    String url();

    String adminUser();

    String adminPassword();

    /** The registered model whose aliases the ranker serves. */
    String modelName();
}
