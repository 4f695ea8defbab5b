package io.rankops.ranker.api;

import io.rankops.ranker.api.ServiceCredentials.Realm;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * HTTP Basic for everything under /admin (the pipeline worker) and for POST /v1/feedback (the
 * feedback source), before matching, so unknown admin paths are not probed either. Missing,
 * malformed or wrong credentials answer 401 with a Basic challenge; an address that keeps failing
 * is made to wait ({@link CredentialBackoff}: 429 with Retry-After).
 */
public class CredentialFilter {

    private static final Logger LOG = Logger.getLogger(CredentialFilter.class);

    private final ServiceCredentials credentials;
    private final CredentialBackoff backoff;

    public CredentialFilter(ServiceCredentials credentials, CredentialBackoff backoff) {
        this.credentials = credentials;
        this.backoff = backoff;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        Realm realm = realm(request.getUriInfo().getPath());
        if (realm == null) {
            return Optional.empty();
        }
        String address = address(http);
        Duration wait = backoff.waitBefore(realm, address);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return Optional.of(Response.status(429).type(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.RETRY_AFTER, seconds)
                    .entity(new ErrorResponse(429, "too many failed " + realm.label() + " credentials from " + address
                            + "; try again in " + seconds + " s")).build());
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            // Not a guess: a caller that sent nothing learns nothing, so it is not counted.
            return Optional.of(deny(realm.label() + " endpoints need HTTP Basic credentials"));
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || !credentials.matches(realm, decoded.substring(0, colon), decoded.substring(colon + 1))) {
            backoff.failed(realm, address);
            LOG.warnf("refused %s credentials from %s for %s %s", realm.label(), address, request.getMethod(),
                    request.getUriInfo().getPath());
            return Optional.of(deny(colon < 0 ? "malformed Basic credentials" : "wrong " + realm.label() + " user or password"));
        }
        backoff.succeeded(realm, address);
        return Optional.empty();
    }

    /**
     * Which principal a path needs. The path is normalised as the router will see it (repeated and
     * trailing slashes), so {@code //v1/feedback/} cannot slip past.
     */
    static Realm realm(String rawPath) {
        String path = rawPath.replaceAll("/{2,}", "/");
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            return Realm.ADMIN;
        }
        if (path.equals("/v1/feedback") || path.startsWith("/v1/feedback/")) {
            return Realm.FEEDBACK;
        }
        return null;
    }

    private static String address(HttpServerRequest http) {
        SocketAddress remote = http.remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    private static Response deny(String message) {
        return Response.status(401).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"rankops-ranker\"")
                .entity(new ErrorResponse(401, message)).build();
    }
}
