package io.rankops.api.security;

import java.util.List;

/** The platform's roles; the database's app_user_known_roles check lists the same three. */
public final class Roles {
    public static final String ML_ENGINEER = "ml-engineer";
    public static final String RELEASE_MANAGER = "release-manager";
    public static final String ADMIN = "admin";

    public static final List<String> ALL = List.of(ML_ENGINEER, RELEASE_MANAGER, ADMIN);

    private Roles() {
    }
}
