package io.rankops.api.support;

import static io.restassured.RestAssured.given;

import io.rankops.api.security.Roles;
import io.rankops.api.security.UserRepository;
import io.restassured.specification.RequestSpecification;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One account per role (plus a second engineer), made once per test application with unique
 * names and a random password, so tests never share credentials with the demo users.
 */
@ApplicationScoped
public class TestAccounts {

    public static final String ENGINEER = "engineer";
    public static final String OTHER_ENGINEER = "other-engineer";
    public static final String RELEASE_MANAGER = "release-manager";
    public static final String ADMIN = "admin";

    private static final Map<String, String> ROLE_OF = Map.of(ENGINEER, Roles.ML_ENGINEER,
            OTHER_ENGINEER, Roles.ML_ENGINEER, RELEASE_MANAGER, Roles.RELEASE_MANAGER, ADMIN, Roles.ADMIN);

    private final UserRepository users;
    private final String password = UUID.randomUUID().toString();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Boolean> created = new ConcurrentHashMap<>();

    public TestAccounts(UserRepository users) {
        this.users = users;
    }

    /** The username behind an account key (ENGINEER, ...), created on first use. */
    public String username(String account) {
        String username = "t-" + account + "-" + suffix;
        created.computeIfAbsent(account, a -> {
            users.save(username, password, List.of(ROLE_OF.get(a)));
            return true;
        });
        return username;
    }

    public String password() {
        return password;
    }

    /** A request authenticated with HTTP Basic as the account. */
    public RequestSpecification as(String account) {
        return given().auth().preemptive().basic(username(account), password);
    }
}
