// The audit row every administrative write adds in its own transaction: who, what, when, from where.
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { HttpError } from '../http/errors.js';

export async function audit(c: pg.PoolClient, request: FastifyRequest, action: string, target: string, detail?: object): Promise<void> {
  await c.query('INSERT INTO audit_log (user_id, actor, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)',
    [request.user!.id, request.user!.username, action, target, detail ? JSON.stringify(detail) : null, request.ip]);
}

/** A unique-constraint violation as a 409 naming the field; anything else is thrown on. */
export function conflictOn(field: string, what: string) {
  return (err: unknown): never => {
    if ((err as { code?: string }).code === '23505') throw new HttpError(409, `${field}: ${what} already exists`, field);
    throw err;
  };
}

export const iso = (d: Date | null) => (d ? d.toISOString() : null);
