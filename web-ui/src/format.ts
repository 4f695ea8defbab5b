/** Formats an ISO-8601 instant as local wall-clock time; falls back to the raw string ("–" without one). */
export function formatLocalTime(iso: string | null | undefined): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

/** Formats an ISO-8601 instant as a full local date and time; falls back to the raw string ("–" without one). */
export function formatLocalDateTime(iso: string | null | undefined): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Epoch milliseconds as a full local date and time; "–" when it is not a valid instant. */
export function formatMillis(millis: unknown): string {
  if (!isFiniteNumber(millis)) return MISSING;
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? MISSING : date.toLocaleString();
}

/** What the UI shows for a number it does not have (null, NaN, "NaN", ±Infinity, …). */
export const MISSING = '–';

/** True only for real, finite numbers: never for strings ("NaN", "0.5"), null, NaN or ±Infinity. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The one place numbers become text: `digits` decimals, or "–" for anything that is not a finite
 * number (null, undefined, strings such as the "NaN" a server may send, NaN, ±Infinity, objects).
 * Never throws, so a bad value in an API answer cannot blank a page.
 */
export function formatNumber(value: unknown, digits = 2): string {
  if (!isFiniteNumber(value)) return MISSING;
  const safeDigits = Number.isInteger(digits) ? Math.min(20, Math.max(0, digits)) : 2;
  return value.toFixed(safeDigits);
}

/** A number without padding zeros ("5", "12.5", "0.25"), at most `maxDigits` decimals; "–" when missing. */
export function formatPlain(value: unknown, maxDigits = 2): string {
  const fixed = formatNumber(value, maxDigits);
  return fixed === MISSING ? MISSING : String(Number(fixed));
}

/** "0.9697" for scores; "–" for missing values. */
export function formatScore(value: unknown, digits = 4): string {
  return formatNumber(value, digits);
}

/** Signed relative change in percent ("+1.25 %"), or "–" without a baseline. */
export function formatDelta(candidate: unknown, champion: unknown): string {
  if (!isFiniteNumber(candidate) || !isFiniteNumber(champion) || champion === 0) return MISSING;
  const pct = ((candidate - champion) / champion) * 100;
  const text = formatNumber(pct, 2);
  return text === MISSING ? MISSING : `${pct >= 0 ? '+' : ''}${text} %`;
}

/** "AWAITING_APPROVAL" -> "awaiting approval". */
export function humanize(value: unknown): string {
  return typeof value === 'string' && value ? value.toLowerCase().replace(/_/g, ' ') : MISSING;
}

/**
 * A duration in seconds for people: "15 s", "1 min 30 s", "15 min", "2 h", "1 h 5 min", "2 d";
 * "–" when it is not a finite, non-negative number.
 */
export function formatDuration(seconds: unknown): string {
  if (!isFiniteNumber(seconds) || seconds < 0) return MISSING;
  let rest = Math.round(seconds);
  if (rest === 0) return '0 s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count} ${unit}`);
      rest -= count * size;
    }
  }
  return parts.join(' ');
}

/**
 * Seconds of a duration as the API may write it: a number of seconds (900 or 900.0), or an ISO-8601
 * duration ("PT15M", "PT1M30S", "P1DT2H"); null when it is neither.
 */
export function durationSeconds(value: unknown): number | null {
  if (isFiniteNumber(value)) return value;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text);
  if (!match || text.toUpperCase() === 'P' || text.toUpperCase() === 'PT') return null;
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** Traffic steps as "5 → 25 → 50 → 100 %"; "–" without any. */
export function formatSteps(steps: unknown): string {
  if (!Array.isArray(steps) || steps.length === 0) return MISSING;
  return `${steps.map((s) => formatPlain(s)).join(' → ')} %`;
}

/**
 * How a gate metric (GateMetric's wire name) reads at a K: "WR@10" for the displayed list,
 * "pre-rank WR@100" over the candidate set; anything unknown reads as the displayed list's.
 */
export function gateMetricLabel(metric: unknown, k: unknown): string {
  const kk = isFiniteNumber(k) ? String(k) : 'K';
  return metric === 'prerank_wr' ? `pre-rank WR@${kk}` : `WR@${kk}`;
}
