// Users for tests, created directly in the database with known passwords.
import type pg from 'pg';
import { hashPassword } from '../../server/domain/passwords.js';
import type { Role } from '../../server/schemas/auth.js';

let hashed: string | undefined;
export const TEST_PASSWORD = 'correct horse battery staple';

export async function createUser(pool: pg.Pool, role: Role, township?: string): Promise<{ id: number; username: string }> {
  hashed ??= await hashPassword(TEST_PASSWORD);
  const username = `${role}-${township ?? 'county'}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const { rows: [u] } = await pool.query(`
    INSERT INTO users (username, display_name, role, township_id, password_hash)
    VALUES ($1, $1, $2, (SELECT id FROM regions WHERE code = $3 AND kind = 'township'), $4) RETURNING id`,
  [username, role, township ?? null, hashed]);
  return { id: u.id, username };
}
