package io.rankops.api.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.rankops.api.input.TextHygiene;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks a username and password (from HTTP Basic or the sign-in form) against the app_user
 * table, behind {@link SignInThrottle}: both HTTP Basic and {@code POST /api/session} come here.
 */
@ApplicationScoped
public class DatabaseIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    /**
     * Compared against when the user does not exist, so an unknown name costs as much time as a
     * wrong password and response times do not reveal which usernames exist.
     */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("no such user", UserRepository.BCRYPT_COST);

    private final UserRepository users;
    private final SignInThrottle throttle;

    private final boolean enabled;

    public DatabaseIdentityProvider(UserRepository users, SignInThrottle throttle,
            @ConfigProperty(name = "rankops.local-auth", defaultValue = "true") boolean enabled) {
        this.users = users;
        this.enabled = enabled;
        this.throttle = throttle;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String address = clientAddress(request);
        return context.runBlocking(() -> verify(request.getUsername(), new String(request.getPassword().getPassword()),
                address));
    }

    /** The caller's address, as the HTTP mechanisms pass it along; "unknown" for in-process callers. */
    static String clientAddress(AuthenticationRequest request) {
        RoutingContext context = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (context == null || context.request().remoteAddress() == null) {
            return "unknown";
        }
        return context.request().remoteAddress().hostAddress();
    }

    private SecurityIdentity verify(String username, String password, String address) {
        if (!enabled) {
            throw new AuthenticationFailedException("local accounts are switched off (RANKOPS_LOCAL_AUTH=false): sign in through OIDC");
        }
        if (TextHygiene.problem(username) != null || TextHygiene.problem(password) != null) {
            // Never looked up and no bcrypt (so no free CPU for anonymous callers): PostgreSQL refuses
            // NUL in a query parameter, and bcrypt stops at a NUL, so "password\0anything" would
            // match "password". No account name has one, so nothing is revealed.
            throw new AuthenticationFailedException("invalid username or password");
        }
        // No account has a longer name; the throttle's key stays bounded whatever is sent.
        String account = username.length() > UserRepository.MAX_USERNAME
                ? username.substring(0, UserRepository.MAX_USERNAME) : username;
        Optional<java.time.Duration> wait = throttle.retryAfter(account, address);
        if (wait.isPresent()) {
            // Refused before bcrypt, even with the right password: the wait is the point.
            throw SignInThrottle.blocked(wait.get());
        }
        Optional<User> user = QuarkusTransaction.requiringNew().call(() -> users.find(username));
        boolean matches = BcryptUtil.matches(password, user.map(u -> u.passwordHash).orElse(DUMMY_HASH));
        if (user.isEmpty() || !matches) {
            throttle.failed(account, address);
            throw new AuthenticationFailedException("invalid username or password");
        }
        throttle.succeeded(account);
        return identityOf(user.get());
    }

    /** Roles are read from the table on every request, so a changed role takes effect at once. */
    static SecurityIdentity identityOf(User user) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user.username));
        for (String role : user.roles) {
            identity.addRole(role);
        }
        return identity.build();
    }
}
