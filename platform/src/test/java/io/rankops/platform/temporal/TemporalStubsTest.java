package io.rankops.platform.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.temporal.serviceclient.GrpcMetadataProvider;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the built stub options carry for each setting, and which combinations are refused. */
class TemporalStubsTest {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    static Path dir;
    static TestCertificates certs;

    private final Settings plaintext = Settings.plaintext("temporal.example:7233");

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(dir);
    }

    @ConfigMapping(prefix = "rankops.temporal")
    interface Mapped extends TemporalConnectionSettings {
    }

    @Test
    void theVariablesAreTheOnesTheServicesRead() {
        Map<String, String> env = Map.of(
                "RANKOPS_TEMPORAL_TARGET", "frontend:7233", "RANKOPS_TEMPORAL_NAMESPACE", "prod",
                TemporalVariables.TLS, "true", TemporalVariables.CA_CERT, "/certs/ca.pem",
                TemporalVariables.CLIENT_CERT, "/certs/tls.crt", TemporalVariables.CLIENT_KEY, "/certs/tls.key",
                TemporalVariables.SERVER_NAME, "frontend.internal", TemporalVariables.API_KEY, "k-1",
                TemporalVariables.ALLOW_PLAINTEXT_API_KEY, "true");
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300))
                .withMapping(Mapped.class).build();

        Mapped settings = config.getConfigMapping(Mapped.class);

        assertTrue(settings.tls());
        assertEquals(Optional.of("/certs/ca.pem"), settings.caCert());
        assertEquals(Optional.of("/certs/tls.crt"), settings.clientCert());
        assertEquals(Optional.of("/certs/tls.key"), settings.clientKey());
        assertEquals(Optional.of("frontend.internal"), settings.serverName());
        assertEquals(Optional.of("k-1"), settings.apiKey());
        assertTrue(settings.allowPlaintextApiKey());
        assertEquals(7, TemporalVariables.ALL.size(), "a new variable needs a line above");
    }

    @Test
    void withNothingSetTheConnectionIsPlaintextWithoutCredentials() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of("RANKOPS_TEMPORAL_TARGET", "localhost:7233",
                        "RANKOPS_TEMPORAL_NAMESPACE", "default"), 300))
                .withMapping(Mapped.class).build();

        WorkflowServiceStubsOptions options = TemporalStubs.options(config.getConfigMapping(Mapped.class));

        assertEquals("localhost:7233", options.getTarget());
        assertNull(options.getSslContext());
        assertFalse(options.getEnableHttps());
        assertTrue(authorization(options).isEmpty());
        assertNull(options.getChannelInitializer());
    }

    @Test
    void tlsWithAPrivateCaAndClientCertificateBuildsAClientSslContext() {
        Settings settings = plaintext.withTls().withCa(certs.caCert()).withClient(certs.clientCert(), certs.clientKey())
                .withServerName(TestCertificates.SERVER_NAME);

        WorkflowServiceStubsOptions options = TemporalStubs.options(settings);

        assertNotNull(options.getSslContext());
        assertTrue(options.getSslContext().isClient());
        assertNotNull(options.getChannelInitializer(), "the server name is set on the channel");
        assertEquals("mutual TLS, private CA, server name temporal.rankops.test", TemporalStubs.describeSecurity(settings));
    }

    @Test
    void tlsAloneTrustsTheSystemStore() {
        WorkflowServiceStubsOptions options = TemporalStubs.options(plaintext.withTls());

        assertNotNull(options.getSslContext());
        assertNull(options.getChannelInitializer());
        assertEquals("TLS, system trust store", TemporalStubs.describeSecurity(plaintext.withTls()));
    }

    @Test
    void theApiKeyIsSentAsABearerToken() {
        WorkflowServiceStubsOptions options = TemporalStubs.options(plaintext.withTls().withApiKey("cloud-key"));

        assertEquals(List.of("Bearer cloud-key"), authorization(options));
        assertEquals("TLS, system trust store, API key",
                TemporalStubs.describeSecurity(plaintext.withTls().withApiKey("cloud-key")));
    }

    @Test
    void anApiKeyOverPlaintextIsRefusedUnlessAllowedForALocalTest() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> TemporalStubs.options(plaintext.withApiKey("cloud-key")));
        assertTrue(refused.getMessage().contains("RANKOPS_TEMPORAL_API_KEY (rankops.temporal.api-key)"), refused.getMessage());
        assertTrue(refused.getMessage().contains("RANKOPS_TEMPORAL_ALLOW_PLAINTEXT_API_KEY=true"), refused.getMessage());
        assertFalse(refused.getMessage().contains("cloud-key"), "the key itself stays out of the message");

        WorkflowServiceStubsOptions allowed =
                TemporalStubs.options(plaintext.withApiKey("cloud-key").allowingPlaintextApiKey());
        assertNull(allowed.getSslContext());
        assertEquals(List.of("Bearer cloud-key"), authorization(allowed));
    }

    @Test
    void tlsSettingsWithoutTlsAreRefusedNamingTheSetting() {
        assertRefused(plaintext.withCa(certs.caCert()), "RANKOPS_TEMPORAL_CA_CERT (rankops.temporal.ca-cert) is set but "
                + "RANKOPS_TEMPORAL_TLS (rankops.temporal.tls) is not true");
        assertRefused(plaintext.withClient(certs.clientCert(), certs.clientKey()), "RANKOPS_TEMPORAL_CLIENT_CERT");
        assertRefused(plaintext.withServerName("x"), "RANKOPS_TEMPORAL_SERVER_NAME");
    }

    @Test
    void aClientCertificateNeedsItsKeyAndTheOtherWayRound() {
        assertRefused(plaintext.withTls().withClient(certs.clientCert(), null),
                "RANKOPS_TEMPORAL_CLIENT_CERT (rankops.temporal.client-cert) is set without RANKOPS_TEMPORAL_CLIENT_KEY");
        assertRefused(plaintext.withTls().withClient(null, certs.clientKey()),
                "RANKOPS_TEMPORAL_CLIENT_KEY (rankops.temporal.client-key) is set without RANKOPS_TEMPORAL_CLIENT_CERT");
    }

    @Test
    void aMissingFileIsNamedWithItsSetting() {
        assertRefused(plaintext.withTls().withCa(dir.resolve("absent.pem")),
                "RANKOPS_TEMPORAL_CA_CERT (rankops.temporal.ca-cert): no such file " + dir.resolve("absent.pem"));
        assertRefused(plaintext.withTls().withClient(certs.clientCert(), dir.resolve("absent.key")),
                "RANKOPS_TEMPORAL_CLIENT_KEY (rankops.temporal.client-key): no such file");
    }

    @Test
    void filesThatAreNotWhatTheySayAreRefused() throws IOException {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        assertRefused(plaintext.withTls().withCa(notPem), "RANKOPS_TEMPORAL_CA_CERT (rankops.temporal.ca-cert)");
        // The CA's key where the certificate belongs, and the certificate where the key belongs.
        assertRefused(plaintext.withTls().withClient(certs.clientKey(), certs.clientKey()), "RANKOPS_TEMPORAL_CLIENT_CERT");
        assertRefused(plaintext.withTls().withClient(certs.clientCert(), certs.clientCert()),
                "RANKOPS_TEMPORAL_CLIENT_KEY (rankops.temporal.client-key) holds no PEM private key");
        Path sec1 = Files.writeString(dir.resolve("sec1.key"),
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertRefused(plaintext.withTls().withClient(certs.clientCert(), sec1), "openssl pkcs8 -topk8 -nocrypt");
        // A key that does not belong to the certificate.
        assertRefused(plaintext.withTls().withClient(certs.clientCert(), certs.serverKey()), "belong together");
    }

    @Test
    void everyVariableNamesItsProperty() {
        assertEquals("rankops.temporal.allow-plaintext-api-key",
                TemporalVariables.property(TemporalVariables.ALLOW_PLAINTEXT_API_KEY));
        assertThrows(IllegalArgumentException.class, () -> TemporalVariables.property("RANKOPS_MLFLOW_USER"));
    }

    private static void assertRefused(Settings settings, String expected) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TemporalStubs.options(settings));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }

    private static List<String> authorization(WorkflowServiceStubsOptions options) {
        if (options.getGrpcMetadataProviders() == null) {
            return List.of();
        }
        return options.getGrpcMetadataProviders().stream().map(GrpcMetadataProvider::getMetadata)
                .map(metadata -> metadata.get(AUTHORIZATION)).filter(value -> value != null).toList();
    }
}
