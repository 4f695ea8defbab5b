-- Browser sessions held server-side, so signing out ends a session everywhere at once and every
-- session has an absolute end. The cookie carries a random token; only its SHA-256 is stored.
CREATE TABLE user_session (
    token_sha256 CHAR(64)    PRIMARY KEY,
    username     VARCHAR(64) NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX user_session_username ON user_session (username);

-- Failed sign-ins per account ('user:<name>') and per client address ('addr:<ip>'): after a few,
-- each further attempt waits longer (security/SignInThrottle). Shared by every API replica.
CREATE TABLE sign_in_failure (
    throttle_key    VARCHAR(200) PRIMARY KEY,
    failures        INTEGER      NOT NULL,
    last_failure_at TIMESTAMPTZ  NOT NULL,
    blocked_until   TIMESTAMPTZ
);
