-- One row per pipeline run the API started. Temporal stays the source of truth for execution;
-- status, current_step, outcome and reason follow the run_step_event rows the worker writes.
CREATE TABLE pipeline_run (
    id            VARCHAR(128) PRIMARY KEY,
    model_name    VARCHAR(128) NOT NULL,
    model_family  VARCHAR(32)  NOT NULL,
    window_start  DATE         NOT NULL,
    window_end    DATE         NOT NULL,
    parameters    JSONB        NOT NULL,
    triggered_by  VARCHAR(128) NOT NULL,
    trigger       VARCHAR(16)  NOT NULL CHECK (trigger IN ('ui', 'schedule', 'api')),
    status        VARCHAR(32)  NOT NULL,
    current_step  VARCHAR(64),
    last_sequence INTEGER      NOT NULL DEFAULT 0,
    outcome       VARCHAR(32),
    reason        TEXT,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CHECK (window_start <= window_end)
);
CREATE INDEX pipeline_run_status_idx ON pipeline_run (status, created_at DESC);
CREATE INDEX pipeline_run_created_idx ON pipeline_run (created_at DESC);

-- The run's state is a function of its latest step event, so applying it is idempotent and
-- order-proof: an older event never overwrites a newer one.
CREATE FUNCTION pipeline_run_apply_latest_event(p_run VARCHAR) RETURNS void AS $$
    UPDATE pipeline_run r SET
        last_sequence = e.sequence,
        current_step  = e.step,
        status = CASE
            WHEN e.step = 'done' THEN upper(e.status)
            WHEN e.status = 'cancelled' THEN 'CANCELLED'
            WHEN e.status = 'failed' AND e.step <> 'gate' THEN 'FAILED'
            WHEN e.step = 'await_approval' THEN 'AWAITING_APPROVAL'
            ELSE 'RUNNING' END,
        outcome = CASE
            WHEN e.step = 'done' THEN upper(e.status)
            WHEN e.status = 'cancelled' THEN 'CANCELLED'
            WHEN e.status = 'failed' AND e.step <> 'gate' THEN 'FAILED'
            ELSE r.outcome END,
        reason = CASE
            WHEN e.step = 'done' THEN e.detail ->> 'reason'
            WHEN e.status = 'failed' AND e.step <> 'gate' THEN e.detail ->> 'error'
            ELSE r.reason END,
        updated_at = now()
    FROM (SELECT * FROM run_step_event WHERE run_id = p_run ORDER BY sequence DESC LIMIT 1) e
    WHERE r.id = p_run AND r.last_sequence < e.sequence;
$$ LANGUAGE sql;

CREATE FUNCTION run_step_event_moves_run() RETURNS trigger AS $$
BEGIN
    PERFORM pipeline_run_apply_latest_event(NEW.run_id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER run_step_event_moves_run
    AFTER INSERT ON run_step_event
    FOR EACH ROW EXECUTE FUNCTION run_step_event_moves_run();

-- The API starts the workflow inside the transaction that inserts the run, so the worker's first
-- events can commit before the run row does; at commit the row catches up with them.
CREATE FUNCTION pipeline_run_catches_up() RETURNS trigger AS $$
BEGIN
    PERFORM pipeline_run_apply_latest_event(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER pipeline_run_catches_up
    AFTER INSERT ON pipeline_run DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION pipeline_run_catches_up();
