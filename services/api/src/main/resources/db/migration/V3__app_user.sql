-- Local accounts for HTTP Basic and the browser's form/session login. Production signs in
-- through OIDC instead (see services/api/README.md); this table then stays empty.
CREATE TABLE app_user (
    username      VARCHAR(64)  PRIMARY KEY,
    password_hash VARCHAR(100) NOT NULL,
    roles         TEXT[]       NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT app_user_password_is_bcrypt CHECK (password_hash LIKE '$2%'),
    CONSTRAINT app_user_known_roles CHECK (
        cardinality(roles) > 0 AND roles <@ ARRAY['ml-engineer', 'release-manager', 'admin']::TEXT[])
);
