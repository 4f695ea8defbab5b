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
