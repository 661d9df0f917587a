// Rate limits (token buckets, server/http/rateLimit.ts), answered with 429 and Retry-After: per client
// address and per device on position ingest (/api/positions, /osmand), per api_key on Open311 filing,
// per address on login. Hooks keyed on the route's URL, so the routes themselves stay as they are.
// Address limits run on request (before the body is read), device and key limits once it is parsed.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.js';
import { TokenBuckets } from '../http/rateLimit.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../config.js';

const INGEST = new Set(['/api/positions', '/osmand']);
const OPEN311_FILING = new Set(['/open311/v2/requests.json', '/open311/v2/requests.xml', '/open311/v2/requests/:id/:file']);
const LOGIN = '/api/auth/login';

type Params = Record<string, unknown>;
const obj = (v: unknown): Params => (v && typeof v === 'object' && !Array.isArray(v) ? v as Params : {});
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim().slice(0, 64) : '');

/** Positions per device in a request (the same fields the ingest reads). */
function devicesOf(request: FastifyRequest): Map<string, number> {
  const out = new Map<string, number>();
  const add = (id: string) => { if (id) out.set(id, (out.get(id) ?? 0) + 1); };
  if (request.routeOptions.url === '/api/positions') {
    if (Array.isArray(request.body)) for (const p of request.body) add(str(obj(p).deviceId));
  } else {
    const q = obj(request.query); const b = obj(request.body);
    add(str(q.id ?? q.deviceid ?? b.id ?? b.deviceid ?? b.device_id ?? b.deviceId));
  }
  return out;
}

function tooMany(reply: { header(k: string, v: string): unknown }, seconds: number, what: string, field?: string): HttpError {
  reply.header('Retry-After', String(seconds));
  return new HttpError(429, `too many requests ${what}; retry in ${seconds} s`, field);
}

async function rateLimitsPlugin(app: FastifyInstance, opts: Partial<RateLimits>) {
  const limits = { ...DEFAULT_RATE_LIMITS, ...opts };
  const bucket = (l: RateLimits[keyof RateLimits]) => (l ? new TokenBuckets(l) : null);
  const ingestIp = bucket(limits.ingestPerIp);
  const ingestDevice = bucket(limits.ingestPerDevice);
  const open311Key = bucket(limits.open311PerKey);
  const loginIp = bucket(limits.loginPerIp);

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    if (!url) return;
    if (ingestIp && INGEST.has(url)) {
      const wait = ingestIp.take(request.ip);
      if (wait) throw tooMany(reply, wait, 'from this address');
    } else if (loginIp && url === LOGIN && request.method === 'POST') {
      const wait = loginIp.take(request.ip);
      if (wait) throw tooMany(reply, wait, 'to log in from this address');
    }
  });

  app.addHook('preHandler', async (request, reply) => {
    const url = request.routeOptions.url;
    if (!url) return;
    if (ingestDevice && INGEST.has(url)) {
      const taken: Array<[string, number]> = [];
      for (const [id, n] of devicesOf(request)) {
        const wait = ingestDevice.take(id, n);
        if (wait) {
          // The whole request waits: give back what the other devices in it took.
          for (const [k, c] of taken) ingestDevice.refund(k, c);
          throw tooMany(reply, wait, `from device "${id}"`, 'deviceId');
        }
        taken.push([id, n]);
      }
    } else if (open311Key && request.method === 'POST' && OPEN311_FILING.has(url)) {
      const key = str(obj(request.body).api_key ?? obj(request.query).api_key);
      // Without a key the route answers 403 itself.
      if (key) {
        const wait = open311Key.take(key);
        if (wait) throw tooMany(reply, wait, 'with this api_key', 'api_key');
      }
    }
  });
}

export default fp(rateLimitsPlugin, { name: 'rate-limits' });
