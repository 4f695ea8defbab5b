package io.rankops.ranker.api;

import io.rankops.ranker.RankerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The one admin principal (the pipeline worker). A bean of its own because the REST filters are
 * built before runtime configuration exists; this proxy reads it on first use.
 */
@ApplicationScoped
public class AdminCredentials {

    private final byte[] user;
    private final byte[] password;

    public AdminCredentials(RankerSettings settings) {
        this.user = settings.adminUser().getBytes(StandardCharsets.UTF_8);
        this.password = settings.adminPassword().getBytes(StandardCharsets.UTF_8);
    }

    /** Both parts compared in full and in constant time, so timing tells nothing about either. */
    public boolean matches(String givenUser, String givenPassword) {
        boolean userOk = MessageDigest.isEqual(user, givenUser.getBytes(StandardCharsets.UTF_8));
        boolean passwordOk = MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
        return userOk & passwordOk;
    }
}
