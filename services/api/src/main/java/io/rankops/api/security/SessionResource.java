package io.rankops.api.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.rankops.api.errors.ApiError;
import io.rankops.api.errors.ApiException;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import io.quarkus.security.credential.PasswordCredential;

/**
 * The browser session: sign-in checks the password (through {@link DatabaseIdentityProvider} and
 * its throttle) and opens a server-side session ({@link SessionStore}); sign-out ends it there.
 */
@Path("/api/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    /** The form fields of a sign-in, for the OpenAPI document. */
    public record SignInForm(String username, String password) {
    }

    /** Who signed in, and when the session ends at the latest. */
    public record SignedIn(String username, Set<String> roles, OffsetDateTime expiresAt) {
    }

    private final String cookieName;
    private final boolean secureCookie;
    private final int maxFieldBytes;
    private final SessionStore sessions;
    private final IdentityProviderManager identities;

    public SessionResource(@ConfigProperty(name = "rankops.session.cookie-name") String cookieName,
            @ConfigProperty(name = "rankops.session.secure-cookie", defaultValue = "false") boolean secureCookie,
            @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size", defaultValue = "2048")
            io.quarkus.runtime.configuration.MemorySize maxField,
            SessionStore sessions, IdentityProviderManager identities) {
        this.cookieName = cookieName;
        this.secureCookie = secureCookie;
        this.maxFieldBytes = (int) maxField.asLongValue();
        this.sessions = sessions;
        this.identities = identities;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Sign in", description = "Form fields username and password: 200 with the HttpOnly, "
            + "SameSite=Strict session cookie; 401 on bad credentials; 429 with Retry-After after repeated failures "
            + "for the account or the address; 400 when a field is missing or too long; 403 from a foreign Origin.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = SignInForm.class)))
    public Response signIn(String form, @Context RoutingContext context) {
        Map<String, String> fields = formFields(form);
        String username = fields.get("username");
        String password = fields.get("password");
        List<ApiError.Violation> violations = new ArrayList<>();
        if (username == null || username.isEmpty()) {
            violations.add(new ApiError.Violation("username", "required (a form field of at most " + maxFieldBytes + " bytes)"));
        }
        if (password == null || password.isEmpty()) {
            violations.add(new ApiError.Violation("password", "required (a form field of at most " + maxFieldBytes + " bytes)"));
        }
        if (!violations.isEmpty()) {
            throw new ApiException(400, "invalid request", "sign in with the form fields username and password", violations);
        }
        SecurityIdentity identity;
        try {
            identity = identities.authenticateBlocking(HttpSecurityUtils.setRoutingContextAttribute(
                    new UsernamePasswordAuthenticationRequest(username, new PasswordCredential(password.toCharArray())),
                    context));
        } catch (AuthenticationFailedException refused) {
            Long wait = refused.getAttribute(SignInThrottle.RETRY_AFTER_SECONDS);
            if (wait != null) {
                return Response.status(429).header("Retry-After", wait).type(MediaType.APPLICATION_JSON)
                        .entity(new ApiError(429, "too many requests", refused.getMessage(), List.of())).build();
            }
            throw new ApiException(401, "unauthorized", "invalid username or password", List.of());
        }
        String user = identity.getPrincipal().getName();
        String token = sessions.open(user);
        OffsetDateTime expiresAt = OffsetDateTime.now().plus(sessions.absoluteLifetime());
        return Response.ok(new SignedIn(user, identity.getRoles(), expiresAt))
                .cookie(cookie(token, (int) sessions.absoluteLifetime().toSeconds())).build();
    }

    /**
     * The form's fields, decoded here rather than by the framework, so that a broken encoding
     * ("%zz") is the caller's 400, not a 500. A repeated field keeps its first value.
     */
    static Map<String, String> formFields(String form) {
        Map<String, String> fields = new java.util.HashMap<>();
        if (form == null || form.isEmpty()) {
            return fields;
        }
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                fields.putIfAbsent(java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException broken) {
                throw new ApiException(400, "invalid request", "the sign-in form is not valid URL encoding",
                        List.of(new ApiError.Violation("body", "not application/x-www-form-urlencoded")));
            }
        }
        return fields;
    }

    /** Ends the session server-side, so the cookie (and any copy of it) stops working at once. */
    @DELETE
    @PermitAll
    @Operation(summary = "Sign out", description = "Revokes the session server-side and expires the cookie: 204.")
    public Response signOut(@Context RoutingContext context) {
        io.vertx.core.http.Cookie cookie = context.request().getCookie(cookieName);
        if (cookie != null) {
            sessions.revoke(cookie.getValue());
        }
        return Response.noContent().cookie(cookie("", 0)).build();
    }

    /** Max-Age and, for browsers that only read it, Expires: the session's absolute end. */
    private NewCookie cookie(String value, int maxAgeSeconds) {
        return new NewCookie.Builder(cookieName).value(value).path("/").maxAge(maxAgeSeconds)
                .expiry(java.util.Date.from(java.time.Instant.now().plusSeconds(maxAgeSeconds))).httpOnly(true)
                .secure(secureCookie).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
