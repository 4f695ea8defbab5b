-- The row trigger of V1 refuses UPDATE and DELETE, but TRUNCATE fires no row triggers: without
-- this, one statement by the application's own user would empty the audit log.
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
