import { useCallback, useEffect, useState } from 'react';
import { isAbortError } from '../api/http';

/**
 * Loads data once and again on every reload(), aborting the request a newer one replaces.
 * `describe` turns a failure into the sentence the page shows.
 */
export function useReloadable<T>(
  load: (signal: AbortSignal) => Promise<T>,
  describe: (err: unknown) => string = (err) => (err instanceof Error ? err.message : String(err)),
) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (value) => {
        setData(value);
        setError(null);
      },
      (err: unknown) => {
        if (!isAbortError(err)) setError(describe(err));
      },
    );
    return () => controller.abort();
    // load and describe are module functions of the page; the attempt counter is what reloads.
  }, [attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, reload };
}
