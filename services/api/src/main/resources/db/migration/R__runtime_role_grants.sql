-- The API serves requests as its runtime role (placeholder runtime_role, from
-- quarkus.flyway.placeholders.runtime_role); the schema's owner runs every migration, this one
-- included. The runtime role gets rows, never the schema: it cannot alter, drop or disable a
-- trigger (only an owner can), and the audit log is append-only for it by grant as well as by
-- trigger. Repeatable, so it runs after whatever versioned migrations another change adds (no
-- version number to collide with) and again whenever these grants change.
GRANT USAGE ON SCHEMA public TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${runtime_role}";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${runtime_role}";

-- Tables and sequences later migrations create get the same grants without repeating them here.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${runtime_role}";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "${runtime_role}";

-- Read and append only: the triggers of V1 and V5 are the second line, for the owner.
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM "${runtime_role}";
-- Flyway's history is the owner's alone.
REVOKE ALL ON "${flyway:table}" FROM "${runtime_role}";
