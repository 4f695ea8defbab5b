-- A release manager's decision as the API recorded it, before it sends the decide update. The
-- workflow acts only on a decision it confirms here (activity confirm_decision on run-ledger), once:
-- an update sent straight to Temporal has no row and decides nothing.
CREATE TABLE approval_decision (
    id           UUID         PRIMARY KEY,
    run_id       VARCHAR(128) NOT NULL REFERENCES pipeline_run (id),
    approver     VARCHAR(64)  NOT NULL,
    approved     BOOLEAN      NOT NULL,
    comment      TEXT,
    recorded_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    confirmed_at TIMESTAMPTZ
);
CREATE INDEX approval_decision_run ON approval_decision (run_id);
