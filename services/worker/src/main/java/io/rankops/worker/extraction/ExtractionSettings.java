package io.rankops.worker.extraction;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where extract_dataset reads partitions and writes datasets, inside the platform bucket. */
@ConfigMapping(prefix = "rankops.extraction")
public interface ExtractionSettings {

    /** Root of the {@code dt=YYYY-MM-DD/} event partitions. */
    @WithDefault("events/")
    String eventsPrefix();

    /** Root under which each dataset gets {@code {datasetId}/}. */
    @WithDefault("datasets/")
    String datasetsPrefix();
}
