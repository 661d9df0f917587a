// Registered devices (a phone per worker): device id → worker and assigned grid, in memory,
// reloaded when the workers' revision moves. An unknown id triggers at most one reload a second.
import type pg from 'pg';

export interface Device { workerId: number; gridId: number }

export class DeviceRegistry {
  private byDevice = new Map<string, Device>();
  private revision = -1;
  private lastCheck = 0;
  private loading: Promise<void> | null = null;

  constructor(private pool: pg.Pool) {}

  async refresh(force = false): Promise<void> {
    if (this.loading) return this.loading;
    if (!force && Date.now() - this.lastCheck < 1000) return;
    this.lastCheck = Date.now();
    this.loading = (async () => {
      const { rows: [r] } = await this.pool.query<{ rev: number }>(`SELECT rev FROM data_revisions WHERE name = 'workers'`);
      if (r && r.rev === this.revision) return;
      const { rows } = await this.pool.query<{ device_id: string; id: number; grid_id: number }>(
        'SELECT device_id, id, grid_id FROM workers WHERE active AND device_id IS NOT NULL');
      this.byDevice = new Map(rows.map((w) => [w.device_id, { workerId: w.id, gridId: w.grid_id }]));
      this.revision = r?.rev ?? 0;
    })().finally(() => { this.loading = null; });
    return this.loading;
  }

  /** The device, reloading once if it is not known yet (a worker registered a moment ago). */
  async lookup(deviceId: string): Promise<Device | undefined> {
    const d = this.byDevice.get(deviceId);
    if (d) return d;
    await this.refresh();
    return this.byDevice.get(deviceId);
  }

  get(deviceId: string): Device | undefined { return this.byDevice.get(deviceId); }
}
