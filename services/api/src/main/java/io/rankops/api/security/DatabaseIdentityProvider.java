package io.rankops.api.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.rankops.api.input.TextHygiene;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Checks a username and password (from HTTP Basic or the session login form) against the
 * app_user table. Both the Basic and the form mechanism hand their credentials here.
 */
@ApplicationScoped
public class DatabaseIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    /**
     * Compared against when the user does not exist, so an unknown name costs as much time as a
     * wrong password and response times do not reveal which usernames exist.
     */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("no such user", UserRepository.BCRYPT_COST);

    private final UserRepository users;

    public DatabaseIdentityProvider(UserRepository users) {
        this.users = users;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> verify(request.getUsername(), new String(request.getPassword().getPassword())));
    }

    private SecurityIdentity verify(String username, String password) {
        if (TextHygiene.problem(username) != null || TextHygiene.problem(password) != null) {
            // Never looked up: PostgreSQL refuses NUL in a query parameter (a 500), and bcrypt stops
            // at a NUL, so "password\0anything" would match "password". Costs the same as a miss.
            BcryptUtil.matches(password.replace('\0', ' '), DUMMY_HASH);
            throw new AuthenticationFailedException("invalid username or password");
        }
        Optional<User> user = QuarkusTransaction.requiringNew().call(() -> users.find(username));
        boolean matches = BcryptUtil.matches(password, user.map(u -> u.passwordHash).orElse(DUMMY_HASH));
        if (user.isEmpty() || !matches) {
            throw new AuthenticationFailedException("invalid username or password");
        }
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
