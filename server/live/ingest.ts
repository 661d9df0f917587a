// Shared by every ingest form (JSON batch, OsmAnd): validate each fix, resolve its device to a
// worker, find its grid, and hand the good ones to the group-commit writer.
import { validatePosition, isRejection, type PositionLimits, type RawPosition, type Rejection } from '../domain/positionRules.js';
import type { DeviceRegistry } from './devices.js';
import type { GridIndex } from './gridIndex.js';
import type { PositionWriter, WorkerFix } from './positionWriter.js';

export type FixResult = 'stored' | 'duplicate' | Rejection;

export class Ingest {
  constructor(private devices: DeviceRegistry, private grids: GridIndex, private writer: PositionWriter, private limits: PositionLimits) {}

  async submit(raws: RawPosition[]): Promise<FixResult[]> {
    const now = new Date();
    const results: FixResult[] = new Array(raws.length);
    const fixes: WorkerFix[] = [];
    const slots: number[] = [];
    for (let i = 0; i < raws.length; i++) {
      const v = validatePosition(raws[i], now, this.limits);
      if (isRejection(v)) { results[i] = v; continue; }
      const device = this.devices.get(v.deviceId) ?? await this.devices.lookup(v.deviceId);
      if (!device) { results[i] = { field: 'deviceId', reason: `unknown device "${v.deviceId.slice(0, 64)}"` }; continue; }
      fixes.push({ ...v, workerId: device.workerId, assignedGridId: device.gridId, gridId: this.grids.find(v.lon, v.lat) });
      slots.push(i);
    }
    if (fixes.length) {
      const stored = await this.writer.submit(fixes);
      stored.forEach((s, k) => { results[slots[k]] = s ? 'stored' : 'duplicate'; });
    }
    return results;
  }
}
