package io.rankops.ranker.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic for everything under /admin (pre-matching, so unknown admin paths are not probed
 * either): one principal, the pipeline worker, from configuration. Missing, malformed or wrong
 * credentials answer 401 with a Basic challenge.
 */
@Provider
@PreMatching
public class AdminAuthFilter implements ContainerRequestFilter {

    private final AdminCredentials credentials;

    public AdminAuthFilter(AdminCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/admin") || path.startsWith("/admin/"))) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            request.abortWith(deny(401, "admin endpoints need HTTP Basic credentials"));
            return;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            request.abortWith(deny(401, "malformed Basic credentials"));
            return;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            request.abortWith(deny(401, "malformed Basic credentials"));
            return;
        }
        if (!credentials.matches(decoded.substring(0, colon), decoded.substring(colon + 1))) {
            request.abortWith(deny(401, "wrong admin user or password"));
        }
    }

    private static Response deny(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"rankops-ranker\"")
                .entity(new ErrorResponse(status, message)).build();
    }
}
