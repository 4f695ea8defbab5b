package io.rankops.worker.rollout;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** The Authorization header of {@link RankerAdminClient}: HTTP Basic with the worker's admin credential. */
public final class RankerCredential {

    public static String basic() {
        Config config = ConfigProvider.getConfig();
        String user = config.getValue("rankops.ranker.admin-user", String.class);
        String password = config.getValue("rankops.ranker.admin-password", String.class);
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private RankerCredential() {
    }
}
