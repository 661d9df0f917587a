// Shared by every ingest form (JSON batch, OsmAnd): check each fix's device key, validate it,
// resolve its device to a worker, find its grid, and hand the good ones to the group-commit writer.
import { validatePosition, isRejection, type PositionLimits, type RawPosition, type Rejection } from '../domain/positionRules.js';
import { keyRefusal, type Device, type DeviceRegistry } from './devices.js';
import type { GridIndex } from './gridIndex.js';
import type { PositionWriter, WorkerFix } from './positionWriter.js';

/** A fix refused for its device key: 401 (missing or wrong key) or 403 (no live key). */
export interface KeyRejection extends Rejection { field: 'key'; status: 401 | 403 }

export type FixResult = 'stored' | 'duplicate' | Rejection | KeyRejection;

/** A reported position with the key its phone sent along, if it sent one in the position itself. */
export type KeyedPosition = RawPosition & { key?: unknown };

export const isKeyRejection = (r: FixResult): r is KeyRejection => typeof r === 'object' && 'status' in r;

export class Ingest {
  /** Each worker's grid at its latest fix here: where the next one is looked for first. */
  private lastGrid = new Map<number, number | null>();

  constructor(private devices: DeviceRegistry, private grids: GridIndex, private writer: PositionWriter, private limits: PositionLimits) {}

  /**
   * Stores the good fixes; resolves after their commit with a result per fix. A fix's own `key`
   * wins over `sharedKey` (a header or parameter for the whole request). Unknown devices (and fixes
   * without one) are left to the validation rules, which name them.
   */
  async submit(raws: KeyedPosition[], sharedKey?: string): Promise<FixResult[]> {
    const now = new Date();
    const results: FixResult[] = new Array(raws.length);
    const fixes: WorkerFix[] = [];
    const slots: number[] = [];
    // device → the key it sent in this request and the verdict: a phone's batch repeats one key,
    // and a refused key waits for one reload, not one per fix
    const checked = new Map<string, { key: string | undefined; refusal: KeyRejection | null }>();
    for (let i = 0; i < raws.length; i++) {
      const raw = raws[i];
      const id = typeof raw.deviceId === 'string' || typeof raw.deviceId === 'number' ? String(raw.deviceId).trim() : '';
      const device: Device | undefined = id ? this.devices.get(id) ?? await this.devices.lookup(id) : undefined;
      if (device) {
        const key = typeof raw.key === 'string' ? raw.key : sharedKey;
        let check = checked.get(id);
        if (!check || check.key !== key) {
          // in memory first; only a mismatch waits for a reload (a key issued a moment ago)
          const quick = this.devices.checkKey(id, key);
          const bad = keyRefusal(quick === 'ok' ? quick : await this.devices.verifyKey(id, key));
          check = { key, refusal: bad && { field: 'key', reason: bad.reason, status: bad.status } };
          checked.set(id, check);
        }
        if (check.refusal) { results[i] = check.refusal; continue; }
      }
      const v = validatePosition(raw, now, this.limits);
      if (isRejection(v)) { results[i] = v; continue; }
      if (!device) { results[i] = { field: 'deviceId', reason: `unknown device "${v.deviceId.slice(0, 64)}"` }; continue; }
      const gridId = this.grids.find(v.lon, v.lat, this.lastGrid.get(device.workerId) ?? device.gridId);
      this.lastGrid.set(device.workerId, gridId);
      fixes.push({
        deviceId: v.deviceId, time: v.time, lon: v.lon, lat: v.lat, speed: v.speed, heading: v.heading, accuracy: v.accuracy, battery: v.battery,
        workerId: device.workerId, assignedGridId: device.gridId, gridId,
      });
      slots.push(i);
    }
    if (fixes.length) {
      const stored = await this.writer.submit(fixes);
      stored.forEach((s, k) => { results[slots[k]] = s ? 'stored' : 'duplicate'; });
    }
    return results;
  }
}
