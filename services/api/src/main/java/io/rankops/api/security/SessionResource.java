package io.rankops.api.security;

import io.rankops.api.errors.ApiError;
import io.rankops.api.errors.ApiException;
import io.vertx.core.http.HttpServerRequest;
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
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * The browser session. Sign-in is Quarkus form authentication answering {@code POST /api/session}
 * (form fields username, password) before any resource, configured in application.properties;
 * {@link #signInRefused} only sees the sign-ins that mechanism passed over.
 */
@Path("/api/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    /** The form fields of a sign-in, for the OpenAPI document. */
    public record SignInForm(String username, String password) {
    }

    private final String cookieName;
    private final String usernameField;
    private final String passwordField;
    private final int maxFieldBytes;

    public SessionResource(@ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName,
            @ConfigProperty(name = "quarkus.http.auth.form.username-parameter") String usernameField,
            @ConfigProperty(name = "quarkus.http.auth.form.password-parameter") String passwordField,
            @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size", defaultValue = "2048")
            io.quarkus.runtime.configuration.MemorySize maxField) {
        this.cookieName = cookieName;
        this.usernameField = usernameField;
        this.passwordField = passwordField;
        this.maxFieldBytes = (int) maxField.asLongValue();
    }

    /**
     * Reached only when the form mechanism did not take the sign-in: a field is missing or longer
     * than the form limit. Good credentials get 200 and the session cookie, bad ones 401, and a
     * request from another origin 403 before this.
     */
    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Sign in", description = "Form fields username and password: 200 with the HttpOnly, "
            + "SameSite=Strict session cookie; 401 on bad credentials; 400 when a field is missing or too long; "
            + "403 from a foreign Origin.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = SignInForm.class)))
    public Response signInRefused(@Context HttpServerRequest request) {
        List<ApiError.Violation> violations = new ArrayList<>();
        for (String field : List.of(usernameField, passwordField)) {
            String value = request.formAttributes().get(field);
            if (value == null || value.isEmpty()) {
                violations.add(new ApiError.Violation(field, "required (a form field of at most " + maxFieldBytes
                        + " bytes)"));
            }
        }
        if (violations.isEmpty()) {
            violations.add(new ApiError.Violation("body", "not a usable sign-in form"));
        }
        throw new ApiException(400, "invalid request", "sign in with the form fields " + usernameField + " and "
                + passwordField, violations);
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
