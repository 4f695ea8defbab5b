package io.rankops.api.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The session cookie's token, to be checked against {@link SessionStore}. */
public class SessionTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public SessionTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
