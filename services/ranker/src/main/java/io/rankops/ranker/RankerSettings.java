package io.rankops.ranker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The ranker's own settings (application.properties, overridable with RANKOPS_RANKER_* env vars). */
@ConfigMapping(prefix = "rankops.ranker")
public interface RankerSettings {

    /** The MLflow registered model whose {@code champion} and {@code candidate} aliases are served. */
    @WithDefault("rankops-ranker")
    String modelName();

    /** How often the aliases are re-read in the background (the scheduler reads the same key). */
    @WithDefault("15s")
    Duration refreshInterval();

    /** HTTP Basic credentials for /admin/* (the pipeline worker's). */
    String adminUser();

    String adminPassword();

    /** How many served requests feedback can still be attributed to (oldest forgotten first). */
    @WithDefault("100000")
    int feedbackCapacity();

    /** ONNX Runtime intra-op threads per session; 0 = ONNX Runtime's default (all cores). */
    @WithDefault("1")
    int onnxIntraOpThreads();
}
