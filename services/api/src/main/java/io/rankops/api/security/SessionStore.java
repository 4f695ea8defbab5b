package io.rankops.api.security;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Owner of table user_session. A session ends at sign-out (revoked server-side, so a copied cookie
 * stops working too), after {@code rankops.session.idle-timeout} without use, and at the latest
 * {@code rankops.session.absolute-lifetime} after sign-in however busy it is.
 */
@ApplicationScoped
public class SessionStore {

    /** Only tokens of this shape are looked up (32 random bytes, base64url): anything else is no session. */
    static final int TOKEN_CHARS = 43;
    /** last_seen_at is written at most this often, so a busy page does not write on every request. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final EntityManager db;
    private final Duration idleTimeout;
    private final Duration absoluteLifetime;
    private final SecureRandom random = new SecureRandom();

    public SessionStore(EntityManager db,
            @ConfigProperty(name = "rankops.session.idle-timeout") Duration idleTimeout,
            @ConfigProperty(name = "rankops.session.absolute-lifetime") Duration absoluteLifetime) {
        this.db = db;
        this.idleTimeout = idleTimeout;
        this.absoluteLifetime = absoluteLifetime;
    }

    public record Session(String username) {
    }

    public Duration absoluteLifetime() {
        return absoluteLifetime;
    }

    /** A new session for a user who just proved who they are; returns the cookie's token. */
    public String open(String username) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        QuarkusTransaction.requiringNew().run(() -> db.createNativeQuery(
                        "INSERT INTO user_session (token_sha256, username, expires_at) VALUES (?1, ?2, now() + ?3 * interval '1 second')")
                .setParameter(1, sha256(token)).setParameter(2, username).setParameter(3, absoluteLifetime.toSeconds())
                .executeUpdate());
        return token;
    }

    /** The live session behind a token, touching it; empty when unknown, revoked, idle too long or past its end. */
    public Optional<Session> find(String token) {
        if (token == null || token.length() != TOKEN_CHARS) {
            return Optional.empty();
        }
        String hash = sha256(token);
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = db.createNativeQuery("""
                    SELECT username, last_seen_at < now() - ?2 * interval '1 second' FROM user_session
                    WHERE token_sha256 = ?1 AND revoked_at IS NULL AND expires_at > now()
                      AND last_seen_at > now() - ?3 * interval '1 second'""")
                    .setParameter(1, hash).setParameter(2, TOUCH_EVERY.toSeconds()).setParameter(3, idleTimeout.toSeconds())
                    .getResultList();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Object[] row = rows.get(0);
            if (Boolean.TRUE.equals(row[1])) {
                db.createNativeQuery("UPDATE user_session SET last_seen_at = now() WHERE token_sha256 = ?1")
                        .setParameter(1, hash).executeUpdate();
            }
            return Optional.of(new Session((String) row[0]));
        });
    }

    /** Ends the session behind a token (sign-out); a no-op for an unknown one. */
    public void revoke(String token) {
        if (token == null || token.length() != TOKEN_CHARS) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> db.createNativeQuery(
                        "UPDATE user_session SET revoked_at = now() WHERE token_sha256 = ?1 AND revoked_at IS NULL")
                .setParameter(1, sha256(token)).executeUpdate());
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeHourly() {
        purgeEnded();
    }

    /** Sessions ended more than a day ago are of no use to anyone; keeps the table small. */
    public int purgeEnded() {
        return QuarkusTransaction.requiringNew().call(() -> db.createNativeQuery("""
                DELETE FROM user_session WHERE coalesce(revoked_at, expires_at) < now() - interval '1 day'
                   OR last_seen_at < now() - ?1 * interval '1 second' - interval '1 day'""")
                .setParameter(1, idleTimeout.toSeconds()).executeUpdate());
    }


    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
