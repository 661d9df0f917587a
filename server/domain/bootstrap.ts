// First start of a fresh installation: an admin with a random password (printed once, never a fixed
// default) and a long-lived read-only token for the wall screen.
import type pg from 'pg';
import { hashPassword, newToken, randomPassword, tokenHash } from './passwords.js';
import { withTransaction } from '../db/pool.js';

export interface Bootstrap { password: string; screenToken: string }

export async function bootstrapUsers(pool: pg.Pool): Promise<Bootstrap | null> {
  const { rows } = await pool.query('SELECT 1 FROM users LIMIT 1');
  if (rows.length) return null;
  const password = randomPassword();
  const screenToken = newToken();
  await withTransaction(pool, async (client) => {
    const { rows: [admin] } = await client.query(
      `INSERT INTO users (username, display_name, role, password_hash) VALUES ('admin', '系统管理员', 'admin', $1) RETURNING id`,
      [await hashPassword(password)]);
    const { rows: [screen] } = await client.query(
      `INSERT INTO users (username, display_name, role, password_hash) VALUES ('screen', '指挥大屏', 'viewer', NULL) RETURNING id`);
    await client.query(`INSERT INTO auth_tokens (token_hash, user_id, kind, label, expires_at) VALUES ($1, $2, 'screen', '指挥大屏', now() + interval '1 year')`,
      [tokenHash(screenToken), screen.id]);
    await client.query(`INSERT INTO audit_log (user_id, actor, action, target) VALUES ($1, 'system', 'bootstrap', 'users')`, [admin.id]);
  });
  return { password, screenToken };
}
