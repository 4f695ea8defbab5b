package io.rankops.ranker.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "rankops.mlflow")
public interface MlflowSettings {
    String trackingUri();

    /** Per call; a slow registry delays a refresh, never a ranking request. */
    @WithDefault("5s")
    Duration timeout();
}
