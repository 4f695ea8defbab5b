-- The run ledger moved into the API's Java code (io.rankops.api.runs.RunLedger and RunProjection):
-- it appends each step event and moves the run's row under the row's lock, in one transaction.
-- The triggers that did this in PL/pgSQL, and their functions, go.
DROP TRIGGER IF EXISTS run_step_event_moves_run ON run_step_event;
DROP TRIGGER IF EXISTS pipeline_run_catches_up ON pipeline_run;
DROP FUNCTION IF EXISTS run_step_event_moves_run();
DROP FUNCTION IF EXISTS pipeline_run_catches_up();
DROP FUNCTION IF EXISTS pipeline_run_apply_latest_event(VARCHAR);
