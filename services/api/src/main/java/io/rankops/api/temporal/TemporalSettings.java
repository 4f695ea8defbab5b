package io.rankops.api.temporal;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "rankops.temporal")
public interface TemporalSettings {
    /** host:port of the Temporal frontend. */
    String target();

    String namespace();

    /** Temporal Web UI, for links from runs to their workflow. */
    String uiUrl();
}
