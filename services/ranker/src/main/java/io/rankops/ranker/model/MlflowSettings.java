package io.rankops.ranker.model;

import io.rankops.platform.mlflow.MlflowCredentials;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "rankops.mlflow")
public interface MlflowSettings {
    String trackingUri();

    /** The ranker's own MLflow account (read only, on the served model). */
    String username();

    String password();

    default MlflowCredentials credentials() {
        return new MlflowCredentials(trackingUri(), username(), password());
    }

    /** Per call; a slow registry delays a refresh, never a ranking request. */
    @WithDefault("5s")
    Duration timeout();
}
