package io.rankops.ranker.api;

import io.rankops.ranker.RankerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The ranker's two HTTP Basic principals, from configuration: the pipeline worker (/admin/*) and
 * the feedback source (POST /v1/feedback: the event pipeline, locally the traffic simulator). A
 * bean of its own because the REST filters are built before runtime configuration exists; this
 * proxy reads it on first use.
 */
@ApplicationScoped
public class ServiceCredentials {

    /** Which principal a path needs; {@code name} keys the failure backoff, so one realm's guesser does not lock out the other. */
    public enum Realm {
        ADMIN("admin"), FEEDBACK("feedback");

        private final String name;

        Realm(String name) {
            this.name = name;
        }

        public String label() {
            return name;
        }
    }

    private final Principal admin;
    private final Principal feedback;

    public ServiceCredentials(RankerSettings settings) {
        this.admin = new Principal(settings.adminUser(), settings.adminPassword());
        this.feedback = new Principal(settings.feedbackUser(), settings.feedbackPassword());
    }

    public boolean matches(Realm realm, String givenUser, String givenPassword) {
        return (realm == Realm.ADMIN ? admin : feedback).matches(givenUser, givenPassword);
    }

    private static final class Principal {
        private final byte[] user;
        private final byte[] password;

        Principal(String user, String password) {
            this.user = user.getBytes(StandardCharsets.UTF_8);
            this.password = password.getBytes(StandardCharsets.UTF_8);
        }

        /** Both parts compared in full and in constant time, so timing tells nothing about either. */
        boolean matches(String givenUser, String givenPassword) {
            boolean userOk = MessageDigest.isEqual(user, givenUser.getBytes(StandardCharsets.UTF_8));
            boolean passwordOk = MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
            return userOk & passwordOk;
        }
    }
}
