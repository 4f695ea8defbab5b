package io.rankops.platform.temporal;

import java.util.List;
import java.util.Locale;

/**
 * The environment variables that secure a connection to the Temporal frontend, in one place. Java
 * reads them through {@link TemporalConnectionSettings} (MicroProfile Config maps
 * {@code RANKOPS_TEMPORAL_CA_CERT} onto {@code rankops.temporal.ca-cert}); the trainer reads the
 * same names in rankops_trainer/temporal_client.py, and its tests/test_temporal_client.py checks
 * that both lists agree. docs/deploy.md, "Temporal authentication", says what to set.
 */
public final class TemporalVariables {

    /** {@code true}: TLS to the frontend (Temporal Cloud, a self-hosted frontend with TLS). */
    public static final String TLS = "RANKOPS_TEMPORAL_TLS";
    /** PEM file of the CA that signed the frontend's certificate; unset: the system trust store. */
    public static final String CA_CERT = "RANKOPS_TEMPORAL_CA_CERT";
    /** PEM file of the client certificate chain, for mutual TLS; needs {@link #CLIENT_KEY}. */
    public static final String CLIENT_CERT = "RANKOPS_TEMPORAL_CLIENT_CERT";
    /** PEM file of the client's unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}). */
    public static final String CLIENT_KEY = "RANKOPS_TEMPORAL_CLIENT_KEY";
    /** Name to expect on the frontend's certificate (and SNI) when it differs from the target host. */
    public static final String SERVER_NAME = "RANKOPS_TEMPORAL_SERVER_NAME";
    /** Sent as {@code Authorization: Bearer <key>} on every call (Temporal Cloud API keys). */
    public static final String API_KEY = "RANKOPS_TEMPORAL_API_KEY";
    /** {@code true} lets an API key travel without TLS: a local test against a plaintext server only. */
    public static final String ALLOW_PLAINTEXT_API_KEY = "RANKOPS_TEMPORAL_ALLOW_PLAINTEXT_API_KEY";

    public static final List<String> ALL =
            List.of(TLS, CA_CERT, CLIENT_CERT, CLIENT_KEY, SERVER_NAME, API_KEY, ALLOW_PLAINTEXT_API_KEY);

    /** The configuration property a variable sets: RANKOPS_TEMPORAL_CA_CERT is rankops.temporal.ca-cert. */
    public static String property(String variable) {
        String prefix = "RANKOPS_TEMPORAL_";
        if (!variable.startsWith(prefix)) {
            throw new IllegalArgumentException(variable + " is not a Temporal connection variable");
        }
        return "rankops.temporal." + variable.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** How errors name a setting: both spellings, so either the env or a properties file can be fixed. */
    static String describe(String variable) {
        return variable + " (" + property(variable) + ")";
    }

    private TemporalVariables() {
    }
}
