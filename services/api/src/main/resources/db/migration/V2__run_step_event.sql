-- The projection of pipeline runs, written by the worker's record_step activity as the
-- workflow moves. (run_id, sequence) makes a retried write a no-op.
CREATE TABLE run_step_event (
    run_id      VARCHAR(128) NOT NULL,
    sequence    INTEGER      NOT NULL,
    step        VARCHAR(64)  NOT NULL,
    status      VARCHAR(32)  NOT NULL,
    detail      JSONB,
    occurred_at TIMESTAMPTZ  NOT NULL,
    recorded_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, sequence)
);
