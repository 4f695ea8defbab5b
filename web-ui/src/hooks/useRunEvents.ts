import { useEffect, useRef, useState } from 'react';
import { runEventsUrl, type RunProgress } from '../api/runs';
import type { EpochPoint } from '../charts/Charts';
import { isFiniteNumber } from '../format';

export interface RunEventsState {
  /** The latest event, or null before the first one. */
  progress: RunProgress | null;
  /** Training samples collected from the stream (and kept per run in sessionStorage). */
  history: EpochPoint[];
  /** The stream is open. */
  connected: boolean;
  /** The stream failed for good (EventSource gave up). */
  error: string | null;
}

const STORAGE_PREFIX = 'rankops.run-history.';
/** Reopen the stream when it has been silent this long (the server sends every second). */
export const STALL_MS = 15_000;

function loadHistory(runId: string): EpochPoint[] {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_PREFIX + runId);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as EpochPoint[]) : [];
  } catch {
    return [];
  }
}

function saveHistory(runId: string, history: EpochPoint[]) {
  try {
    window.sessionStorage.setItem(STORAGE_PREFIX + runId, JSON.stringify(history));
  } catch {
    // storage full or disabled: the curves just are not kept across reloads
  }
}

/**
 * Adds a training sample: while the step is TRAIN, progress × epochs is the (fractional)
 * epoch; whole epochs carry the validation metrics the trainer reports at each epoch's end.
 */
export function addSample(history: EpochPoint[], event: RunProgress, epochs: number): EpochPoint[] {
  const live = event.live;
  const progress = live?.progress;
  if (!live || live.step !== 'TRAIN' || !isFiniteNumber(progress) || !(progress > 0) || !epochs) return history;
  const epoch = Math.round(progress * epochs * 1000) / 1000;
  const whole = Math.abs(epoch - Math.round(epoch)) < 1e-3;
  const point: EpochPoint = { epoch };
  for (const [key, value] of Object.entries(live.latestMetrics ?? {})) {
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    if (key === 'loss' || key === 'train_loss' || whole) point[key] = value;
  }
  const rest = history.filter((p) => p.epoch !== epoch);
  return [...rest, point].sort((a, b) => a.epoch - b.epoch);
}

/**
 * Follows GET /api/runs/{id}/events (EventSource, cookies sent) while `enabled`; the server
 * ends the stream after the run's closing state, and so does this hook.
 */
export function useRunEvents(runId: string, enabled: boolean, epochs: number): RunEventsState {
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [history, setHistory] = useState<EpochPoint[]>(() => loadHistory(runId));
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const epochsRef = useRef(epochs);
  epochsRef.current = epochs;

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let closed = false;
    let source: EventSource;
    let lastMessageAt = Date.now();
    // The server pushes every second; a silent stream is reopened rather than trusted.
    const watchdog = setInterval(() => {
      if (!closed && Date.now() - lastMessageAt > STALL_MS) {
        source.close();
        lastMessageAt = Date.now();
        connect();
      }
    }, STALL_MS / 3);
    const connect = () => {
    source = new EventSource(runEventsUrl(runId), { withCredentials: true });
    source.onopen = () => {
      setConnected(true);
      setError(null);
    };
    source.onmessage = (message: MessageEvent<string>) => {
      lastMessageAt = Date.now();
      let event: RunProgress;
      try {
        event = JSON.parse(message.data) as RunProgress;
      } catch {
        return;
      }
      setProgress(event);
      setHistory((h) => {
        const next = addSample(h, event, epochsRef.current);
        if (next !== h) saveHistory(runId, next);
        return next;
      });
      if (!event.open) {
        closed = true;
        source.close();
        clearInterval(watchdog);
        setConnected(false);
      }
    };
    source.onerror = () => {
      if (closed) return;
      setConnected(false);
      if (source.readyState === 2 /* CLOSED */) {
        setError('The live status stream closed; reload the page to reconnect.');
      }
      // otherwise EventSource reconnects by itself
    };
    };
    connect();
    return () => {
      closed = true;
      clearInterval(watchdog);
      source.close();
    };
  }, [runId, enabled]);

  return { progress, history, connected, error };
}
