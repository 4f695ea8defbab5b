import { describe, expect, it } from 'vitest';
import { tick, tooltipValue } from './charts/Charts';
import {
  durationSeconds,
  formatDelta,
  formatDuration,
  formatMillis,
  formatNumber,
  formatPlain,
  formatScore,
  formatSteps,
  humanize,
  isFiniteNumber,
} from './format';

describe('formatNumber', () => {
  it('formats finite numbers with the given decimals', () => {
    expect(formatNumber(0.41, 2)).toBe('0.41');
    expect(formatNumber(-1.005, 1)).toBe('-1.0');
    expect(formatNumber(3)).toBe('3.00');
    expect(formatNumber(0, 0)).toBe('0');
  });

  it('answers "–" for everything that is not a finite number, without throwing', () => {
    for (const bad of ['NaN', 'Infinity', '0.5', '', null, undefined, Number.NaN, Infinity, -Infinity, {}, [], true]) {
      expect(formatNumber(bad, 2)).toBe('–');
    }
  });

  it('tolerates odd digit counts', () => {
    expect(formatNumber(1.23456, 99)).toBe(1.23456.toFixed(20));
    expect(formatNumber(1.5, -3)).toBe('2');
    expect(formatNumber(1.5, Number.NaN)).toBe('1.50');
  });
});

describe('isFiniteNumber', () => {
  it('accepts only real finite numbers', () => {
    expect(isFiniteNumber(1)).toBe(true);
    expect(isFiniteNumber('1')).toBe(false);
    expect(isFiniteNumber('NaN')).toBe(false);
    expect(isFiniteNumber(Infinity)).toBe(false);
    expect(isFiniteNumber(null)).toBe(false);
  });
});

describe('formatScore and formatDelta', () => {
  it('go through the safe formatter', () => {
    expect(formatScore(0.96969)).toBe('0.9697');
    expect(formatScore('NaN')).toBe('–');
    expect(formatScore(null)).toBe('–');
    expect(formatScore(Infinity)).toBe('–');
    expect(formatDelta(0.9697, 0.95)).toBe('+2.07 %');
    expect(formatDelta(0.9, 1)).toBe('-10.00 %');
    expect(formatDelta(0.9, 0)).toBe('–');
    expect(formatDelta('NaN', 0.95)).toBe('–');
    expect(formatDelta(0.9, null)).toBe('–');
    expect(formatDelta(Infinity, 1)).toBe('–');
  });
});

describe('formatPlain', () => {
  it('drops padding zeros', () => {
    expect(formatPlain(5)).toBe('5');
    expect(formatPlain(12.5)).toBe('12.5');
    expect(formatPlain(0.333333)).toBe('0.33');
    expect(formatPlain(9500, 0)).toBe('9500');
    expect(formatPlain('NaN')).toBe('–');
  });
});

describe('formatDuration', () => {
  it('writes bake times for people', () => {
    expect(formatDuration(15)).toBe('15 s');
    expect(formatDuration(90)).toBe('1 min 30 s');
    expect(formatDuration(900)).toBe('15 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(172_800)).toBe('2 d');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(-1)).toBe('–');
    expect(formatDuration('900')).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
  });
});

describe('durationSeconds', () => {
  it('reads seconds and ISO-8601 durations', () => {
    expect(durationSeconds(900)).toBe(900);
    expect(durationSeconds('900')).toBe(900);
    expect(durationSeconds('900.000000000')).toBe(900);
    expect(durationSeconds('PT15M')).toBe(900);
    expect(durationSeconds('PT1M30S')).toBe(90);
    expect(durationSeconds('PT2H')).toBe(7200);
    expect(durationSeconds('P1DT1S')).toBe(86_401);
    expect(durationSeconds('PT')).toBeNull();
    expect(durationSeconds('soon')).toBeNull();
    expect(durationSeconds(null)).toBeNull();
  });
});

describe('formatSteps, formatMillis and humanize', () => {
  it('never throw on odd input', () => {
    expect(formatSteps([5.0, 25.0, 50.0, 100.0])).toBe('5 → 25 → 50 → 100 %');
    expect(formatSteps(null)).toBe('–');
    expect(formatSteps([])).toBe('–');
    expect(formatMillis(Number.NaN)).toBe('–');
    expect(formatMillis(1e20)).toBe('–');
    expect(formatMillis('1700000000000')).toBe('–');
    expect(formatMillis(1_700_000_000_000)).toBe(new Date(1_700_000_000_000).toLocaleString());
    expect(humanize('IN_CANARY')).toBe('in canary');
    expect(humanize(null)).toBe('–');
    expect(humanize(42)).toBe('–');
  });
});

describe('chart formatters', () => {
  it('format axis ticks and tooltips through formatNumber', () => {
    expect(tick(0.5)).toBe('0.50');
    expect(tooltipValue(0.96969)).toBe('0.9697');
    for (const bad of ['NaN', null, undefined, Infinity, 'x']) {
      expect(tick(bad)).toBe('–');
      expect(tooltipValue(bad)).toBe('–');
    }
  });
});
