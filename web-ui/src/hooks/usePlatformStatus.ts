import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError } from '../api/http';
import { fetchStatus, type PlatformStatus } from '../api/status';

export const STATUS_REFRESH_MS = 10_000;

export interface PlatformStatusState {
  /** Last successfully fetched status (kept when a later refresh fails). */
  data: PlatformStatus | null;
  /** Message of the most recent failed refresh, cleared by the next success. */
  error: string | null;
  /** A request is in flight. */
  loading: boolean;
  /** Fetch now, cancelling any request in flight. */
  refresh: () => void;
}

/** Loads GET /api/status on mount, every `intervalMs`, and on demand. */
export function usePlatformStatus(intervalMs: number = STATUS_REFRESH_MS): PlatformStatusState {
  const [data, setData] = useState<PlatformStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const inFlight = useRef<AbortController | null>(null);

  const load = useCallback(async (force: boolean) => {
    if (inFlight.current) {
      if (!force) return; // a periodic tick never piles up requests
      inFlight.current.abort();
    }
    const controller = new AbortController();
    inFlight.current = controller;
    setLoading(true);
    try {
      const status = await fetchStatus(controller.signal);
      setData(status);
      setError(null);
    } catch (err) {
      if (isAbortError(err)) return;
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      if (inFlight.current === controller) {
        inFlight.current = null;
        setLoading(false);
      }
    }
  }, []);

  useEffect(() => {
    void load(true);
    const timer = setInterval(() => void load(false), intervalMs);
    return () => {
      clearInterval(timer);
      inFlight.current?.abort();
      inFlight.current = null;
    };
  }, [load, intervalMs]);

  const refresh = useCallback(() => void load(true), [load]);

  return { data, error, loading, refresh };
}
