// Responses that change only when their data is edited (all grids, all regions) are built once,
// compressed once (gzip and brotli) and served from memory until the data's revision moves.
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

export interface CachedBody {
  key: string;
  contentType: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

export async function compressBody(key: string, contentType: string, text: string | Buffer): Promise<CachedBody> {
  const identity = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const [gz, br] = await Promise.all([
    gzip(identity, { level: 9 }),
    brotli(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
  ]);
  const etag = `"${crypto.createHash('sha1').update(identity).digest('base64url').slice(0, 20)}"`;
  return { key, contentType, identity, gzip: gz, br, etag };
}

/** Revision of each named dataset (see migration 002), read in one small query. */
export async function revisionKey(pool: pg.Pool, names: string[]): Promise<string> {
  const { rows } = await pool.query<{ name: string; rev: number }>(
    'SELECT name, rev FROM data_revisions WHERE name = ANY($1::text[]) ORDER BY name', [names]);
  return rows.map((r) => `${r.name}:${r.rev}`).join(',');
}

export class ResponseCache {
  private entries = new Map<string, CachedBody>();
  private building = new Map<string, Promise<CachedBody>>();

  /** Returns the cached body for `slot` if built at `key`, else builds it (once, even under concurrency). */
  async get(slot: string, key: string, contentType: string, build: () => Promise<string | Buffer>): Promise<CachedBody> {
    const hit = this.entries.get(slot);
    if (hit && hit.key === key) return hit;
    const pendingKey = `${slot}@${key}`;
    let pending = this.building.get(pendingKey);
    if (!pending) {
      pending = build().then((text) => compressBody(key, contentType, text));
      this.building.set(pendingKey, pending);
      pending.then((body) => { this.entries.set(slot, body); }, () => {}).finally(() => this.building.delete(pendingKey));
    }
    return pending;
  }

  clear(): void { this.entries.clear(); }
}

/** Sends a precompressed body in the best encoding the client accepts, with ETag / 304. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, body: CachedBody): FastifyReply {
  reply.header('ETag', body.etag).header('Vary', 'Accept-Encoding').header('Cache-Control', 'no-cache');
  reply.type(body.contentType);
  if (request.headers['if-none-match'] === body.etag) return reply.code(304).send();
  const accept = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accept)) return reply.header('Content-Encoding', 'br').send(body.br);
  if (/\bgzip\b/.test(accept)) return reply.header('Content-Encoding', 'gzip').send(body.gzip);
  return reply.send(body.identity);
}

/** Sends JSON text produced elsewhere (PostGIS) as is; @fastify/compress compresses it. */
export function sendJsonText(reply: FastifyReply, contentType: string, text: string): FastifyReply {
  return reply.type(contentType).send(text);
}

/** Serializer for routes whose body PostGIS already produced as JSON text: sent as is. */
export const passThroughSerializer = () => (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));
