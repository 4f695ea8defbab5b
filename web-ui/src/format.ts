/** Formats an ISO-8601 instant as local wall-clock time; falls back to the raw string. */
export function formatLocalTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

/** Formats an ISO-8601 instant as a full local date and time; falls back to the raw string. */
export function formatLocalDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** "0.9697" for scores; "–" for missing values. */
export function formatScore(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

/** Signed relative change in percent ("+1.25 %"), or "–" without a baseline. */
export function formatDelta(candidate: number | null | undefined, champion: number | null | undefined): string {
  if (candidate == null || champion == null || !champion) return '–';
  const pct = ((candidate - champion) / champion) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(2)} %`;
}

/** "AWAITING_APPROVAL" -> "awaiting approval". */
export function humanize(value: string | null | undefined): string {
  return value ? value.toLowerCase().replace(/_/g, ' ') : '–';
}
