// Registered devices (a phone per worker): device id → worker, assigned grid and the hash of its
// live key, in memory, reloaded when the workers' or the keys' revision moves. An unknown id or a
// key that does not match triggers a reload (a worker or key registered a moment ago, perhaps by
// another server process). Checking a key is a SHA-256 and a compare: no query.
import crypto from 'node:crypto';
import type pg from 'pg';
import { tokenHash } from '../domain/passwords.js';

export interface Device { workerId: number; gridId: number }

/** ok; missing: no key sent; wrong: not this device's key; none: the device has no live key (revoked or never issued). */
export type KeyCheck = 'ok' | 'missing' | 'wrong' | 'none';

export class DeviceRegistry {
  private byDevice = new Map<string, Device>();
  private keys = new Map<string, Buffer>();
  private revision = '';
  private lastCheck = 0;
  private loading: Promise<void> | null = null;

  constructor(private pool: pg.Pool) {}

  async refresh(force = false): Promise<void> {
    if (this.loading) return this.loading;
    if (!force && Date.now() - this.lastCheck < 1000) return;
    this.lastCheck = Date.now();
    this.loading = (async () => {
      const { rows: revs } = await this.pool.query<{ name: string; rev: string }>(
        `SELECT name, rev::text FROM data_revisions WHERE name IN ('workers', 'device_keys') ORDER BY name`);
      const revision = revs.map((r) => `${r.name}:${r.rev}`).join(',');
      if (revision === this.revision) return;
      const [workers, keys] = await Promise.all([
        this.pool.query<{ device_id: string; id: number; grid_id: number }>('SELECT device_id, id, grid_id FROM workers WHERE active AND device_id IS NOT NULL'),
        this.pool.query<{ device_id: string; key_hash: Buffer }>('SELECT device_id, key_hash FROM device_keys WHERE revoked_at IS NULL'),
      ]);
      this.byDevice = new Map(workers.rows.map((w) => [w.device_id, { workerId: w.id, gridId: w.grid_id }]));
      this.keys = new Map(keys.rows.map((k) => [k.device_id, k.key_hash]));
      this.verified.clear();
      this.revision = revision;
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

  /**
   * Hashes of the keys phones presented lately: a phone sends the same key with every report, and
   * hashing it each time was a good part of ingest's CPU. Keyed by what the caller sent, so the lookup
   * tells nothing about the stored keys; the comparison stays constant-time.
   */
  private presented = new Map<string, Buffer>();

  /**
   * Device → the hash (the very Buffer of `presented`) that last matched its stored key. The same
   * key again is known good by identity; the constant-time compare runs only for a key not seen yet.
   * Cleared whenever the keys are reloaded.
   */
  private verified = new Map<string, Buffer>();

  /** Checks a device's key against the keys in memory. */
  checkKey(deviceId: string, key: string | undefined): KeyCheck {
    if (!key) return 'missing';
    const expected = this.keys.get(deviceId);
    if (!expected) return 'none';
    if (key.length > 200) return 'wrong';
    let hash = this.presented.get(key);
    if (!hash) {
      if (this.presented.size >= 20_000) { this.presented.clear(); this.verified.clear(); }
      this.presented.set(key, hash = tokenHash(key));
    }
    if (this.verified.get(deviceId) === hash) return 'ok';
    if (!crypto.timingSafeEqual(hash, expected)) return 'wrong';
    this.verified.set(deviceId, hash);
    return 'ok';
  }

  /** checkKey, and on a mismatch once more after a reload (a key issued or rotated a moment ago). */
  async verifyKey(deviceId: string, key: string | undefined): Promise<KeyCheck> {
    const first = this.checkKey(deviceId, key);
    if (first === 'ok' || first === 'missing') return first;
    await this.reloadAfterNow();
    return this.checkKey(deviceId, key);
  }

  private reloading: Promise<void> | null = null;

  /** A reload that starts after this call, at most one per 250 ms however many keys mismatch
   * (they wait for the next one instead of each querying). */
  private reloadAfterNow(gapMs = 250): Promise<void> {
    this.reloading ??= (async () => {
      await this.loading?.catch(() => {});
      const wait = this.lastCheck + gapMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await this.refresh(true);
    })().finally(() => { this.reloading = null; });
    return this.reloading;
  }
}

/** What a failed key check answers: 401 for a missing or wrong key, 403 for a device without a live key. */
export function keyRefusal(check: KeyCheck): { status: 401 | 403; reason: string } | null {
  if (check === 'ok') return null;
  if (check === 'missing') return { status: 401, reason: 'device key required (X-Device-Key header or key parameter)' };
  if (check === 'wrong') return { status: 401, reason: 'not the key of this device' };
  return { status: 403, reason: 'this device has no active key (revoked or never issued)' };
}
