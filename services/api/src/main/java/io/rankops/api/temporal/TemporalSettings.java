package io.rankops.api.temporal;

import io.rankops.platform.temporal.TemporalConnectionSettings;
import io.smallrye.config.ConfigMapping;

/** Target, namespace and the optional TLS, mTLS and API-key settings (platform TemporalConnectionSettings). */
@ConfigMapping(prefix = "rankops.temporal")
public interface TemporalSettings extends TemporalConnectionSettings {

    /** Temporal Web UI, for links from runs to their workflow. */
    String uiUrl();
}
