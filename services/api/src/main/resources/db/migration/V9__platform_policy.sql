-- The platform's policy floor, set by an admin (PUT /api/policy, audited): the loosest gate and
-- canary a run may ask for. One row at most; without one the configured floor applies.
CREATE TABLE platform_policy (
    id         SMALLINT     PRIMARY KEY CHECK (id = 1),
    floor      JSONB        NOT NULL,
    updated_by VARCHAR(64)  NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
