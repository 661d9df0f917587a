// Device keys: each worker's phone has a key of its own, issued by an administrator (or by the
// simulator for the phones it plays), shown once and stored only as a SHA-256 hash. Issuing a key
// for a device ends the key it had (rotation); revoking leaves it without one. Each call is one
// transaction with its audit row.
import type pg from 'pg';
import { withTransaction } from '../db/pool.js';
import { HttpError } from '../http/errors.js';
import { newToken, tokenHash } from './passwords.js';

/** Who does it, for the audit log (userId null: the system itself, e.g. the simulator). */
export interface DeviceActor { userId: number | null; name: string; ip?: string }

export interface IssuedKey { deviceId: string; key: string }

/** New keys for these devices (each must belong to an active worker); the old keys stop working. */
export async function issueDeviceKeys(pool: pg.Pool, deviceIds: string[], actor: DeviceActor): Promise<IssuedKey[]> {
  const ids = [...new Set(deviceIds)];
  if (!ids.length) return [];
  return withTransaction(pool, async (c) => {
    const { rows } = await c.query<{ device_id: string }>('SELECT device_id FROM workers WHERE device_id = ANY($1::text[]) AND active FOR UPDATE', [ids]);
    const known = new Set(rows.map((r) => r.device_id));
    const unknown = ids.find((id) => !known.has(id));
    if (unknown !== undefined) throw new HttpError(404, `deviceId: no active worker has device "${unknown.slice(0, 64)}"`, 'deviceId');
    const issued = ids.map((deviceId) => ({ deviceId, key: newToken() }));
    await c.query('UPDATE device_keys SET revoked_at = now() WHERE device_id = ANY($1::text[]) AND revoked_at IS NULL', [ids]);
    await c.query(`INSERT INTO device_keys (device_id, key_hash, created_by) SELECT * FROM unnest($1::text[], $2::bytea[], $3::int[])`,
      [ids, issued.map((k) => tokenHash(k.key)), ids.map(() => actor.userId)]);
    await c.query(`INSERT INTO audit_log (user_id, actor, action, target, detail, ip) VALUES ($1, $2, 'device_key.issue', $3, $4, $5)`,
      [actor.userId, actor.name, ids.length === 1 ? `device:${ids[0]}` : 'devices', JSON.stringify({ devices: ids.length > 20 ? ids.length : ids }), actor.ip ?? null]);
    return issued;
  });
}

export async function issueDeviceKey(pool: pg.Pool, deviceId: string, actor: DeviceActor): Promise<string> {
  return (await issueDeviceKeys(pool, [deviceId], actor))[0].key;
}

/** Ends a device's key: its positions are refused (403) until a new key is issued. */
export async function revokeDeviceKey(pool: pg.Pool, deviceId: string, actor: DeviceActor): Promise<void> {
  await withTransaction(pool, async (c) => {
    const { rowCount } = await c.query('UPDATE device_keys SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL', [deviceId]);
    if (!rowCount) throw new HttpError(404, `deviceId: device "${deviceId.slice(0, 64)}" has no active key`, 'deviceId');
    await c.query(`INSERT INTO audit_log (user_id, actor, action, target, ip) VALUES ($1, $2, 'device_key.revoke', $3, $4)`,
      [actor.userId, actor.name, `device:${deviceId}`, actor.ip ?? null]);
  });
}
