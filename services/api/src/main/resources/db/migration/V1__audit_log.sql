-- Append-only record of every state-changing action: who, what, when, before/after.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor       VARCHAR(128) NOT NULL,
    action      VARCHAR(64)  NOT NULL,
    subject     VARCHAR(256) NOT NULL,
    before_state JSONB,
    after_state  JSONB
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject, occurred_at);

-- The database itself refuses edits, so no code path (or bug) can rewrite history.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
