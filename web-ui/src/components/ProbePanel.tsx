import { useEffect, useRef, useState } from 'react';
import { isAbortError } from '../api/http';
import { runProbe, type ProbeResult, type WorkerInfo } from '../api/status';
import { MISSING } from '../format';

type ProbeState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'done'; result: ProbeResult }
  | { phase: 'failed'; message: string };

function WorkerDetails({ title, worker }: { title: string; worker: WorkerInfo | null | undefined }) {
  return (
    <div className="worker">
      <h3 className="worker-title">{title}</h3>
      <dl className="worker-facts">
        <dt>Task queue</dt>
        <dd>{worker?.taskQueue ?? MISSING}</dd>
        <dt>Identity</dt>
        <dd>{worker?.identity ?? MISSING}</dd>
        <dt>Runtime</dt>
        <dd>{worker?.runtime ?? MISSING}</dd>
        <dt>Version</dt>
        <dd>{worker?.version ?? MISSING}</dd>
      </dl>
    </div>
  );
}

/** Runs the end-to-end health probe workflow (Java worker + Python trainer) on demand. */
export default function ProbePanel() {
  const [state, setState] = useState<ProbeState>({ phase: 'idle' });
  const controllerRef = useRef<AbortController | null>(null);

  useEffect(() => () => controllerRef.current?.abort(), []);

  const running = state.phase === 'running';

  async function handleRun() {
    if (running) return;
    const controller = new AbortController();
    controllerRef.current = controller;
    setState({ phase: 'running' });
    try {
      const result = await runProbe(controller.signal);
      setState({ phase: 'done', result });
    } catch (err) {
      if (isAbortError(err)) return;
      setState({ phase: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <section className="group probe" aria-labelledby="probe-title">
      <h2 id="probe-title" className="group-title">
        End-to-end probe
      </h2>
      <p className="muted">
        Runs a Temporal workflow through the pipeline worker (Java) and the training worker (Python). It can take up
        to about 30 seconds.
      </p>
      <button type="button" className="button" onClick={handleRun} disabled={running} aria-busy={running}>
        {running ? 'Running probe…' : 'Run probe'}
      </button>
      <div aria-live="polite" className="probe-result">
        {running && <p className="muted">Probe running, waiting for both workers…</p>}
        {state.phase === 'done' && (
          <>
            <p className="probe-ok">
              <span aria-hidden="true">✓ </span>Probe <code>{state.result.probeId}</code> succeeded.
            </p>
            <div className="worker-grid">
              <WorkerDetails title="Pipeline worker" worker={state.result.pipelineWorker} />
              <WorkerDetails title="Training worker" worker={state.result.trainingWorker} />
            </div>
          </>
        )}
      </div>
      {state.phase === 'failed' && (
        <p className="error" role="alert">
          <strong>Probe failed:</strong> {state.message}
        </p>
      )}
    </section>
  );
}
