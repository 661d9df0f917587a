import { describe, expect, it } from 'vitest';
import { parseTime, validatePosition, DEFAULT_LIMITS } from '../../server/domain/positionRules.js';

const now = new Date('2026-03-15T08:00:00Z');
const ok = { deviceId: '100001', time: '2026-03-15T07:59:00Z', lon: 118.76, lat: 34.52 };

describe('parseTime', () => {
  it.each([
    [1773561540, '2026-03-15T07:59:00.000Z'],
    [1773561540000, '2026-03-15T07:59:00.000Z'],
    ['1773561540', '2026-03-15T07:59:00.000Z'],
    ['2026-03-15T15:59:00+08:00', '2026-03-15T07:59:00.000Z'],
    ['2026-03-15T15:59:00+0800', '2026-03-15T07:59:00.000Z'],
    ['2026-03-15 07:59:00', '2026-03-15T07:59:00.000Z'],
    ['2026-03-15T07:59:00.250Z', '2026-03-15T07:59:00.250Z'],
  ])('%s', (v, iso) => expect(parseTime(v)?.toISOString()).toBe(iso));
  it.each(['yesterday', '', '2026-13-45T00:00:00Z', NaN, -1, Infinity, {}, null])('rejects %s', (v) => expect(parseTime(v)).toBeNull());
});

describe('validatePosition', () => {
  it('accepts a good fix', () => {
    expect(validatePosition(ok, now)).toMatchObject({ deviceId: '100001', lon: 118.76, lat: 34.52, speed: null });
  });
  it.each([
    [{ ...ok, lon: 181 }, 'lon'], [{ ...ok, lat: -91 }, 'lat'], [{ ...ok, lon: 0, lat: 0 }, 'lon'],
    [{ ...ok, lon: NaN }, 'lon'], [{ ...ok, lat: 'x' }, 'lat'], [{ ...ok, lon: Infinity }, 'lon'],
    [{ ...ok, time: '2026-03-15T08:06:00Z' }, 'time'], [{ ...ok, time: '2026-03-01T00:00:00Z' }, 'time'],
    [{ ...ok, time: undefined }, 'time'], [{ ...ok, deviceId: '' }, 'deviceId'], [{ ...ok, deviceId: undefined }, 'deviceId'],
    [{ ...ok, speed: -1 }, 'speed'], [{ ...ok, speed: NaN }, 'speed'], [{ ...ok, heading: 400 }, 'heading'],
    [{ ...ok, accuracy: -3 }, 'accuracy'], [{ ...ok, battery: 101 }, 'battery'],
  ])('rejects %j on %s', (p, field) => {
    expect(validatePosition(p as never, now)).toMatchObject({ field });
  });
  it('allows 5 minutes of clock skew', () => {
    expect(validatePosition({ ...ok, time: '2026-03-15T08:04:59Z' }, now)).not.toHaveProperty('reason');
  });
  it('the age limit is configurable', () => {
    const p = { ...ok, time: '2026-03-14T07:00:00Z' };
    expect(validatePosition(p, now)).not.toHaveProperty('reason');
    expect(validatePosition(p, now, { ...DEFAULT_LIMITS, maxAgeMs: 3_600_000 })).toMatchObject({ field: 'time' });
  });
});

describe('numberArray (the array literal the position writer sends)', () => {
  it('writes numbers exactly and anything else as NULL', async () => {
    const { numberArray } = await import('../../server/live/positionWriter.js');
    expect(numberArray([])).toBe('{}');
    expect(numberArray([1, -2.5, 118.123456789012, 1e-7, null, undefined, NaN, Infinity])).toBe('{1,-2.5,118.123456789012,1e-7,NULL,NULL,NULL,NULL}');
    const x = 34.56789012345678;
    expect(Number(numberArray([x]).slice(1, -1))).toBe(x);
  });
});
