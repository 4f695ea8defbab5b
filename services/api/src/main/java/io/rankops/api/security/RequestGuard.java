package io.rankops.api.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.rankops.api.errors.ApiError;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs before authentication on every request and refuses, as the API's JSON error:
 * <ul>
 * <li><b>Cross-site request forgery.</b> An unsafe request (not GET, HEAD, OPTIONS, TRACE) that
 * carries the session cookie must send {@value #CSRF_HEADER}: 1, and its Origin, when it has one,
 * must be the API's own. SameSite=Strict alone is not enough: every port of the same host is the
 * same site (a page served on 127.0.0.1:5500 could post to 127.0.0.1:8080 with the cookie), and
 * older browsers ignore SameSite. A custom header cannot be sent cross-origin without a CORS
 * preflight, which this API never grants. Callers with HTTP Basic or a bearer token and no cookie
 * are not affected: a browser never adds those on its own.</li>
 * <li><b>Login CSRF.</b> {@code POST /api/session} from a foreign Origin, so another site cannot sign
 * a browser in to an account of its choosing; and a sign-in that is no form
 * ({@code application/x-www-form-urlencoded}).</li>
 * <li><b>Malformed HTTP Basic credentials</b> (not base64, no colon), which Quarkus would answer with
 * a 500.</li>
 * </ul>
 * It also marks the session cookie {@code Secure} when {@code rankops.session.secure-cookie} is on
 * (the prod profile): Quarkus sets Secure only when the request itself came over TLS, which is not
 * the case behind a TLS-terminating proxy.
 */
@ApplicationScoped
public class RequestGuard {

    public static final String CSRF_HEADER = "X-Rankops-Csrf";
    /** Before authentication (which would already have handled a sign-in or a Basic header). */
    static final int PRIORITY = SecurityHandlerPriorities.AUTHENTICATION + 50;
    static final String SESSION_PATH = "/api/session";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);

    private final String cookieName;
    private final boolean secureCookie;
    private final Set<String> trustedOrigins;
    private final ObjectMapper json;

    public RequestGuard(@ConfigProperty(name = "rankops.session.cookie-name") String cookieName,
            @ConfigProperty(name = "rankops.session.secure-cookie", defaultValue = "false") boolean secureCookie,
            @ConfigProperty(name = "rankops.http.trusted-origins") Optional<List<String>> trustedOrigins,
            ObjectMapper json) {
        this.cookieName = cookieName;
        this.secureCookie = secureCookie;
        this.trustedOrigins = trustedOrigins.orElse(List.of()).stream().map(RequestGuard::normalized)
                .filter(o -> o != null).collect(Collectors.toUnmodifiableSet());
        this.json = json;
    }

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
    }

    void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (secureCookie) {
            context.addHeadersEndHandler(ignored -> markSessionCookieSecure(context));
        }
        String refusal = malformedBasic(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (refusal != null) {
            refuse(context, 401, "unauthorized", refusal);
            return;
        }
        if (SAFE.contains(request.method())) {
            context.next();
            return;
        }
        boolean signIn = request.method() == HttpMethod.POST && SESSION_PATH.equals(context.normalizedPath());
        boolean withCookie = request.getCookie(cookieName) != null;
        if (!signIn && !withCookie) {
            context.next();
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !isOwnOrigin(origin, request)) {
            refuse(context, 403, "forbidden", "cross-origin request refused: Origin " + abbreviated(origin)
                    + " is not this API's origin");
            return;
        }
        if (signIn) {
            String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
            if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
                refuse(context, 415, "unsupported media type", "sign in with the form fields username and password, "
                        + "sent as application/x-www-form-urlencoded");
                return;
            }
        } else if (!"1".equals(request.getHeader(CSRF_HEADER))) {
            refuse(context, 403, "forbidden", "a request signed in with the session cookie must send the header "
                    + CSRF_HEADER + ": 1 (cross-site request forgery protection)");
            return;
        }
        context.next();
    }

    /** Same scheme, host and port as the request was addressed to (its Host), or a trusted origin. */
    boolean isOwnOrigin(String origin, HttpServerRequest request) {
        String normalized = normalized(origin);
        if (normalized == null) {
            return false; // "null" (sandboxed frames, file:) or garbage
        }
        if (trustedOrigins.contains(normalized)) {
            return true;
        }
        String host = request.getHeader(HttpHeaders.HOST);
        return host != null && normalized.equals(normalized(request.scheme() + "://" + host));
    }

    /** scheme://host:port in lower case with the default port made explicit, or null when no origin. */
    static String normalized(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (Exception e) {
            return null;
        }
    }

    /** Why a Basic Authorization header is unusable, or null (also when it is no Basic header). */
    static String malformedBasic(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            return decoded.indexOf(':') < 0 ? "malformed HTTP Basic credentials: no ':' between user and password"
                    : null;
        } catch (IllegalArgumentException e) {
            return "malformed HTTP Basic credentials: not base64";
        }
    }

    private void markSessionCookieSecure(RoutingContext context) {
        for (Cookie cookie : context.request().cookies(cookieName)) {
            if (cookie instanceof ServerCookie server && !server.isFromUserAgent()) {
                cookie.setSecure(true);
            }
        }
        // Cookies a resource set through JAX-RS (sign-out) are headers by now.
        List<String> headers = context.response().headers().getAll(HttpHeaders.SET_COOKIE);
        if (headers.stream().anyMatch(this::isInsecureSessionCookie)) {
            List<String> secured = headers.stream()
                    .map(h -> isInsecureSessionCookie(h) ? h + "; Secure" : h).toList();
            context.response().headers().remove(HttpHeaders.SET_COOKIE);
            secured.forEach(h -> context.response().headers().add(HttpHeaders.SET_COOKIE, h));
        }
    }

    private boolean isInsecureSessionCookie(String header) {
        return header.startsWith(cookieName + "=") && !header.toLowerCase(Locale.ROOT).contains("; secure");
    }

    private static String abbreviated(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    private void refuse(RoutingContext context, int status, String title, String detail) {
        String body;
        try {
            body = json.writeValueAsString(new ApiError(status, title, detail, null));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }
}
