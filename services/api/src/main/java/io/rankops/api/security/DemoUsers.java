package io.rankops.api.security;

import io.quarkus.runtime.configuration.ConfigUtils;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The local stack's three demo accounts, one per role, created at startup only when the
 * launcher asks for them (RANKOPS_DEMO_USERS=true) and never in the prod profile.
 */
@ApplicationScoped
public class DemoUsers {

    private static final Logger LOG = Logger.getLogger(DemoUsers.class);

    /** username -> role; the README and the web UI's login hint name the same three. */
    public static final Map<String, String> ACCOUNTS = accounts();

    private final UserRepository users;
    private final boolean enabled;
    private final Optional<String> password;
    /** True under the prod profile: the one place demo accounts must never exist. */
    private final boolean production;

    @Inject
    public DemoUsers(UserRepository users, @ConfigProperty(name = "rankops.demo-users.enabled") boolean enabled,
            @ConfigProperty(name = "rankops.demo-users.password") Optional<String> password) {
        this(users, enabled, password, ConfigUtils.isProfileActive("prod"));
    }

    DemoUsers(UserRepository users, boolean enabled, Optional<String> password, boolean production) {
        this.users = users;
        this.enabled = enabled;
        this.password = password;
        this.production = production;
    }

    void onStart(@Observes StartupEvent started) {
        if (enabled) {
            seed();
        }
    }

    /** Creates (or resets) erin, rita and ada with the one shared local password. */
    public void seed() {
        if (production) {
            throw new IllegalStateException("demo users are for local stacks only and refused in production "
                    + "(unset RANKOPS_DEMO_USERS)");
        }
        String shared = password.filter(p -> p.length() >= 8).orElseThrow(() -> new IllegalStateException(
                "RANKOPS_DEMO_USERS=true needs RANKOPS_DEMO_PASSWORD (at least 8 characters)"));
        ACCOUNTS.forEach((username, role) -> users.save(username, shared, List.of(role)));
        LOG.infof("demo users ready: %s", ACCOUNTS);
    }

    private static Map<String, String> accounts() {
        Map<String, String> accounts = new LinkedHashMap<>();
        accounts.put("erin", Roles.ML_ENGINEER);
        accounts.put("rita", Roles.RELEASE_MANAGER);
        accounts.put("ada", Roles.ADMIN);
        return Map.copyOf(accounts);
    }
}
