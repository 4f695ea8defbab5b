package io.rankops.worker.rollout;

import jakarta.enterprise.inject.spi.CDI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Authorization header of {@link RankerAdminClient}: HTTP Basic with the worker's admin credential
 * from {@link RankerSettings}. Static, because a client header method is looked up by name.
 */
public final class RankerCredential {

    public static String basic() {
        RankerSettings settings = CDI.current().select(RankerSettings.class).get();
        return "Basic " + Base64.getEncoder().encodeToString(
                (settings.adminUser() + ":" + settings.adminPassword()).getBytes(StandardCharsets.UTF_8));
    }

    private RankerCredential() {
    }
}
