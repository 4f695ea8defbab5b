package io.rankops.platform.temporal;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * How a service reaches the Temporal frontend. Each service's
 * {@code @ConfigMapping(prefix = "rankops.temporal")} extends this, so api and worker read the same
 * properties; {@link TemporalVariables} names their environment variables. All security settings
 * are optional: the local dev server is plaintext and unauthenticated.
 */
public interface TemporalConnectionSettings {

    /** host:port of the Temporal frontend. */
    String target();

    String namespace();

    /** {@link TemporalVariables#TLS}. */
    @WithDefault("false")
    boolean tls();

    /** {@link TemporalVariables#CA_CERT}: a PEM file path. */
    Optional<String> caCert();

    /** {@link TemporalVariables#CLIENT_CERT}: a PEM file path. */
    Optional<String> clientCert();

    /** {@link TemporalVariables#CLIENT_KEY}: a PEM file path (PKCS#8, unencrypted). */
    Optional<String> clientKey();

    /** {@link TemporalVariables#SERVER_NAME}. */
    Optional<String> serverName();

    /** {@link TemporalVariables#API_KEY}. */
    Optional<String> apiKey();

    /** {@link TemporalVariables#ALLOW_PLAINTEXT_API_KEY}. */
    @WithDefault("false")
    boolean allowPlaintextApiKey();
}
