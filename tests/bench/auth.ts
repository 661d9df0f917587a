// Reads need a login: the benchmarks read as a viewer with a bearer token of their own, set once by
// run.ts and sent by each benchmark's HTTP client.
import type pg from 'pg';
import { userWithToken } from '../support/auth.js';

export const viewerHeaders: Record<string, string> = {};

export async function loginViewer(pool: pg.Pool): Promise<void> {
  viewerHeaders.authorization = `Bearer ${(await userWithToken(pool, 'viewer')).token}`;
}
