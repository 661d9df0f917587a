import { describe, expect, it } from 'vitest';
import { parseBBox } from '../../server/http/bbox.js';

describe('parseBBox', () => {
  it('parses four numbers', () => {
    expect(parseBBox('118.5,34.2,119.1,34.9')).toEqual([118.5, 34.2, 119.1, 34.9]);
    expect(parseBBox(' 118.5 , 34.2,119.1,34.9 ')).toEqual([118.5, 34.2, 119.1, 34.9]);
  });
  it('accepts a degenerate (point) box', () => {
    expect(parseBBox('118,34,118,34')).toEqual([118, 34, 118, 34]);
  });
  it.each(['', '1,2', '1,2,3,4,5', 'x,1,2,3', '1,2,3,', '1e999,1,2,3', '181,0,182,1', '0,95,1,96', '2,0,1,1'])('rejects %j', (v) => {
    expect(() => parseBBox(v)).toThrow(/^bbox: /);
  });
});
