package io.rankops.api.security;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sign-out for the browser session. Sign-in is Quarkus form authentication answering
 * {@code POST /api/session} (form fields username, password), configured in application.properties.
 */
@Path("/api/session")
public class SessionResource {

    private final String cookieName;

    public SessionResource(@ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName) {
        this.cookieName = cookieName;
    }

    /** The session lives only in the encrypted cookie, so signing out is expiring it. */
    @DELETE
    @PermitAll
    public Response signOut() {
        NewCookie expired = new NewCookie.Builder(cookieName).value("").path("/").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
        return Response.noContent().cookie(expired).build();
    }
}
