package io.rankops.platform.temporal;

import static io.rankops.platform.temporal.TemporalVariables.describe;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The one place Java services turn {@link TemporalConnectionSettings} into service stubs: TLS through
 * the SDK's {@link SimpleSslContextBuilder}, the API key through {@code addApiKey} (sent as
 * {@code Authorization: Bearer}). Every file is read and every combination checked here, so a
 * misconfigured service fails at startup naming the setting, not at its first call to Temporal.
 */
public final class TemporalStubs {

    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    /** Stubs for the configured frontend; gRPC connects lazily, on the first call. */
    public static WorkflowServiceStubs connect(TemporalConnectionSettings settings) {
        return WorkflowServiceStubs.newServiceStubs(options(settings));
    }

    public static WorkflowServiceStubsOptions options(TemporalConnectionSettings settings) {
        check(settings);
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
                .setTarget(settings.target());
        if (settings.tls()) {
            options.setSslContext(sslContext(settings));
            // The authority is what netty puts in SNI and verifies the certificate against.
            settings.serverName().ifPresent(name -> options.setChannelInitializer(channel -> channel.overrideAuthority(name)));
        }
        settings.apiKey().ifPresent(key -> options.addApiKey(() -> key));
        return options.build();
    }

    /** For logs and readiness data: how the connection is secured, never the secrets themselves. */
    public static String describeSecurity(TemporalConnectionSettings settings) {
        List<String> parts = new ArrayList<>();
        if (!settings.tls()) {
            parts.add("plaintext");
        } else {
            parts.add(settings.clientCert().isPresent() ? "mutual TLS" : "TLS");
            parts.add(settings.caCert().isPresent() ? "private CA" : "system trust store");
            settings.serverName().ifPresent(name -> parts.add("server name " + name));
        }
        if (settings.apiKey().isPresent()) {
            parts.add("API key");
        }
        return String.join(", ", parts);
    }

    private static void check(TemporalConnectionSettings settings) {
        if (!settings.tls()) {
            for (var tlsOnly : List.of(
                    new Setting(TemporalVariables.CA_CERT, settings.caCert()),
                    new Setting(TemporalVariables.CLIENT_CERT, settings.clientCert()),
                    new Setting(TemporalVariables.CLIENT_KEY, settings.clientKey()),
                    new Setting(TemporalVariables.SERVER_NAME, settings.serverName()))) {
                if (tlsOnly.value().isPresent()) {
                    // Certificates configured but a plaintext connection made would look secured and not be.
                    throw invalid(describe(tlsOnly.variable()) + " is set but " + describe(TemporalVariables.TLS)
                            + " is not true: set " + TemporalVariables.TLS + "=true or remove it");
                }
            }
            if (settings.apiKey().isPresent() && !settings.allowPlaintextApiKey()) {
                throw invalid(describe(TemporalVariables.API_KEY) + " is set but " + describe(TemporalVariables.TLS)
                        + " is not true: the key would travel in clear text. Set " + TemporalVariables.TLS
                        + "=true (Temporal Cloud needs it), or for a local test only "
                        + TemporalVariables.ALLOW_PLAINTEXT_API_KEY + "=true");
            }
        }
        if (settings.clientCert().isPresent() != settings.clientKey().isPresent()) {
            String given = settings.clientCert().isPresent() ? TemporalVariables.CLIENT_CERT : TemporalVariables.CLIENT_KEY;
            String missing = settings.clientCert().isPresent() ? TemporalVariables.CLIENT_KEY : TemporalVariables.CLIENT_CERT;
            throw invalid(describe(given) + " is set without " + describe(missing) + ": mutual TLS needs both");
        }
        if (settings.apiKey().isPresent() && settings.apiKey().get().isBlank()) {
            throw invalid(describe(TemporalVariables.API_KEY) + " is blank");
        }
    }

    private static SslContext sslContext(TemporalConnectionSettings settings) {
        SimpleSslContextBuilder builder;
        if (settings.clientCert().isPresent()) {
            byte[] chain = read(TemporalVariables.CLIENT_CERT, settings.clientCert().get());
            byte[] key = read(TemporalVariables.CLIENT_KEY, settings.clientKey().get());
            checkPair(certificates(TemporalVariables.CLIENT_CERT, chain).iterator().next(), key);
            builder = SimpleSslContextBuilder.forPKCS8(new ByteArrayInputStream(chain), new ByteArrayInputStream(key));
        } else {
            builder = SimpleSslContextBuilder.noKeyOrCertChain();
        }
        settings.caCert().ifPresent(path -> builder.setTrustManager(trustManager(path)));
        try {
            return builder.build();
        } catch (IOException | IllegalArgumentException e) {
            throw invalid("cannot build the TLS context from " + describe(TemporalVariables.CLIENT_CERT) + " and "
                    + describe(TemporalVariables.CLIENT_KEY) + ": " + e.getMessage(), e);
        }
    }

    /** Trusts exactly the CA certificates in the file, not the system store as well. */
    private static TrustManager trustManager(String path) {
        Collection<? extends Certificate> authorities =
                certificates(TemporalVariables.CA_CERT, read(TemporalVariables.CA_CERT, path));
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate authority : authorities) {
                store.setCertificateEntry("temporal-ca-" + i++, authority);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager) {
                    return manager;
                }
            }
            throw invalid("no X.509 trust manager for " + describe(TemporalVariables.CA_CERT));
        } catch (GeneralSecurityException | IOException e) {
            throw invalid("cannot trust " + describe(TemporalVariables.CA_CERT) + " " + path + ": " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(String variable, byte[] pem) {
        try {
            Collection<? extends Certificate> found =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            if (found.isEmpty()) {
                throw invalid(describe(variable) + " holds no PEM certificate");
            }
            return found;
        } catch (GeneralSecurityException e) {
            throw invalid(describe(variable) + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The key must be PKCS#8 (netty reads no other PEM form) and belong to the certificate: either
     * mistake otherwise surfaces as a failed handshake that names no setting.
     */
    private static void checkPair(Certificate certificate, byte[] key) {
        String text = new String(key, StandardCharsets.US_ASCII);
        Matcher pkcs8 = PKCS8.matcher(text);
        if (!pkcs8.find()) {
            String found = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") ? "an encrypted key"
                    : text.contains("PRIVATE KEY-----") ? "a PKCS#1/SEC1 key" : "no PEM private key";
            throw invalid(describe(TemporalVariables.CLIENT_KEY) + " holds " + found
                    + "; it must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY). Convert it with"
                    + " `openssl pkcs8 -topk8 -nocrypt -in client.key -out client-pkcs8.key`");
        }
        PublicKey publicKey = certificate.getPublicKey();
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> publicKey.getAlgorithm();
        };
        boolean matches;
        try {
            PrivateKey privateKey = KeyFactory.getInstance(publicKey.getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pkcs8.group(1))));
            byte[] challenge = "rankops temporal client key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            matches = false;
        }
        if (!matches) {
            throw invalid(describe(TemporalVariables.CLIENT_KEY) + " is not the private key of the certificate in "
                    + describe(TemporalVariables.CLIENT_CERT) + ": the certificate and key must belong together");
        }
    }

    private static byte[] read(String variable, String path) {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw invalid(describe(variable) + ": no such file " + path);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw invalid(describe(variable) + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static IllegalStateException invalid(String message) {
        return new IllegalStateException("Temporal connection: " + message);
    }

    private static IllegalStateException invalid(String message, Throwable cause) {
        return new IllegalStateException("Temporal connection: " + message, cause);
    }

    private record Setting(String variable, Optional<String> value) {
    }

    private TemporalStubs() {
    }
}
