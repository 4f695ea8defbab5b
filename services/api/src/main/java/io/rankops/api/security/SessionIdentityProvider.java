package io.rankops.api.security;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A session token vouches for a username while its session lives; the account is looked up again
 * on every request, so a removed account's session stops working and role changes apply at once.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionTokenRequest> {

    private final SessionStore sessions;
    private final UserRepository users;

    public SessionIdentityProvider(SessionStore sessions, UserRepository users) {
        this.sessions = sessions;
        this.users = users;
    }

    @Override
    public Class<SessionTokenRequest> getRequestType() {
        return SessionTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionTokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> sessions.find(request.token())
                .flatMap(session -> QuarkusTransaction.requiringNew().call(() -> users.find(session.username())))
                .map(DatabaseIdentityProvider::identityOf)
                .orElseThrow(() -> new AuthenticationFailedException("the session has ended (signed out, expired or unknown)")));
    }
}
