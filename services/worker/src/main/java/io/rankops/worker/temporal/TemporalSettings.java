package io.rankops.worker.temporal;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "rankops.temporal")
public interface TemporalSettings {
    /** host:port of the Temporal frontend. */
    String target();

    String namespace();
}
