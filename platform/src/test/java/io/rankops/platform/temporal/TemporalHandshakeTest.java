package io.rankops.platform.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real handshakes: a gRPC health service on 127.0.0.1 behind TLS (and one behind mutual TLS) with a
 * CA made for the test, called through stubs built by {@link TemporalStubs} from settings alone.
 */
class TemporalHandshakeTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static Server tlsServer;
    static Server mutualTlsServer;

    /** What the last call brought to a server: its Authorization header and the client's certificate name. */
    static final AtomicReference<String> authorization = new AtomicReference<>();
    static final AtomicReference<String> clientName = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir);
        tlsServer = server(ClientAuth.NONE);
        mutualTlsServer = server(ClientAuth.REQUIRE);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Server server : new Server[] {tlsServer, mutualTlsServer}) {
            if (server != null) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @BeforeEach
    void forget() {
        authorization.set(null);
        clientName.set(null);
    }

    @Test
    void withTheRightCaAndServerNameTheHandshakeSucceeds() {
        Settings settings = at(tlsServer).withTls().withCa(certs.caCert()).withServerName(TestCertificates.SERVER_NAME);

        assertEquals(HealthCheckResponse.ServingStatus.SERVING, healthCheck(settings));
        assertNull(authorization.get());
        assertNull(clientName.get(), "no client certificate was configured");
    }

    @Test
    void withoutTheCaTheServerIsNotTrusted() {
        // The system trust store does not know the test CA.
        assertHandshakeFails(at(tlsServer).withTls().withServerName(TestCertificates.SERVER_NAME));
        assertHandshakeFails(at(tlsServer).withTls().withCa(certs.otherCaCert()).withServerName(TestCertificates.SERVER_NAME));
    }

    @Test
    void withoutTheServerNameTheCertificateDoesNotMatchTheAddress() {
        assertHandshakeFails(at(tlsServer).withTls().withCa(certs.caCert()));
    }

    @Test
    void plaintextDoesNotReachATlsFrontend() {
        assertHandshakeFails(at(tlsServer));
    }

    @Test
    void mutualTlsPresentsTheClientCertificate() {
        Settings settings = at(mutualTlsServer).withTls().withCa(certs.caCert())
                .withServerName(TestCertificates.SERVER_NAME).withClient(certs.clientCert(), certs.clientKey());

        assertEquals(HealthCheckResponse.ServingStatus.SERVING, healthCheck(settings));
        assertEquals("CN=" + TestCertificates.CLIENT_NAME, clientName.get());
    }

    @Test
    void aFrontendThatRequiresAClientCertificateRefusesOneWithout() {
        assertHandshakeFails(at(mutualTlsServer).withTls().withCa(certs.caCert()).withServerName(TestCertificates.SERVER_NAME));
    }

    @Test
    void theApiKeyArrivesAsABearerTokenOverTls() {
        Settings settings = at(tlsServer).withTls().withCa(certs.caCert()).withServerName(TestCertificates.SERVER_NAME)
                .withApiKey("temporal-cloud-key");

        assertEquals(HealthCheckResponse.ServingStatus.SERVING, healthCheck(settings));
        assertEquals("Bearer temporal-cloud-key", authorization.get());
    }

    private static Settings at(Server server) {
        return Settings.plaintext("127.0.0.1:" + server.getPort());
    }

    private static HealthCheckResponse.ServingStatus healthCheck(Settings settings) {
        WorkflowServiceStubs stubs = TemporalStubs.connect(settings);
        try {
            return stubs.healthCheck().getStatus();
        } finally {
            stubs.shutdownNow();
        }
    }

    private static void assertHandshakeFails(Settings settings) {
        StatusRuntimeException failed = assertThrows(StatusRuntimeException.class, () -> healthCheck(settings));
        assertEquals(Status.Code.UNAVAILABLE, failed.getStatus().getCode(), failed.toString());
        assertNull(authorization.get(), "nothing may reach the service without a handshake");
    }

    private static Server server(ClientAuth clientAuth) throws Exception {
        var tls = GrpcSslContexts.forServer(certs.serverCert().toFile(), certs.serverKey().toFile())
                .trustManager(certs.caCert().toFile()).clientAuth(clientAuth).build();
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).sslContext(tls)
                .addService(ServerInterceptors.intercept(new Serving(), new Recorder()))
                .build().start();
    }

    /** Answers every health check with SERVING, as a Temporal frontend does when it is up. */
    static final class Serving extends HealthGrpc.HealthImplBase {
        @Override
        public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
            response.onNext(HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
            response.onCompleted();
        }
    }

    static final class Recorder implements ServerInterceptor {
        private static final Metadata.Key<String> AUTHORIZATION =
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            authorization.set(headers.get(AUTHORIZATION));
            SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            try {
                clientName.set(session == null ? null : session.getPeerPrincipal().getName());
            } catch (SSLPeerUnverifiedException noClientCertificate) {
                clientName.set(null);
            }
            return next.startCall(call, headers);
        }
    }
}
