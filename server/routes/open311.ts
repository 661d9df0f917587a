// The 12345 hotline through Open311 GeoReport v2 under /open311/v2/: services, service definitions,
// filing requests (form-encoded, api_key in the body) and following them, in JSON or XML. Errors use
// Open311's format ([{"code":403,"description":"…"}]). Our states map onto Open311's two: `closed`
// for 结案 closed and 作废 void, `open` for everything else (办结/评价 still await 结案); the full
// state is in extended_attributes.status_detail / status_label. Contact details are stored, never
// returned. Extension: POST requests/{id}/rating.json (api_key, rating 1–5, comment) records the
// citizen's 评价 of a resolved request.
import crypto from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { HttpError, RETRY_AFTER_S } from '../http/errors.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import { open311Status, STATUS_LABELS, type Actor } from '../domain/incidentWorkflow.js';
import type { IncidentStatus } from '../schemas/incidents.js';
import { Open311KeyQuery, Open311ListQuery, type Open311Form, type Open311Request } from '../schemas/open311.js';
import type { Category } from './incidentWorkflow.js';

export const OPEN311_PREFIX = '/open311/v2';
const DAY = 86_400_000;

// ---- XML: a small escaping serializer (no dependency) ----
const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
  // characters XML 1.0 cannot carry
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

/** Element for a value: objects nest, arrays repeat `itemName` (the singular of their key). */
function xmlValue(name: string, v: unknown): string {
  if (v === null || v === undefined) return `<${name}/>`;
  if (Array.isArray(v)) return `<${name}>${v.map((x) => xmlValue(singular(name), x)).join('')}</${name}>`;
  if (typeof v === 'object') return `<${name}>${Object.entries(v as Record<string, unknown>).map(([k, x]) => xmlValue(k, x)).join('')}</${name}>`;
  return `<${name}>${xmlEscape(String(v))}</${name}>`;
}
const singular = (name: string) => ({ attributes: 'attribute', values: 'value', service_requests: 'request', services: 'service', errors: 'error' } as Record<string, string>)[name] ?? name.replace(/s$/, '');

export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${xmlValue(root, value)}`;
}

type Format = 'json' | 'xml';
const formatOf = (url: string): Format => (/\.xml(\?|$)/.test(url) ? 'xml' : 'json');

function send(reply: FastifyReply, format: Format, root: string, value: unknown, code = 200) {
  reply.code(code);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, value));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

const keyHash = (key: string) => crypto.createHash('sha256').update(key, 'utf8').digest();

/** Creates a connected system's key (returned once; only its hash is stored). */
export async function createOpen311Client(db: { query: (sql: string, p: unknown[]) => Promise<{ rows: { id: number }[] }> }, name: string): Promise<{ id: number; apiKey: string }> {
  const apiKey = crypto.randomBytes(24).toString('base64url');
  const { rows: [r] } = await db.query('INSERT INTO open311_clients (name, key_hash) VALUES ($1, $2) RETURNING id', [name, keyHash(apiKey)]);
  return { id: r.id, apiKey };
}

const REQUEST_SQL = `
SELECT i.id, i.code, i.status, i.category, c.code AS service_code, i.description, d.name AS agency, i.reported_at,
       coalesce(i.updated_at, greatest(i.reported_at, i.accepted_at, i.dispatched_at, i.resolved_at, i.closed_at)) AS updated_at,
       i.due_at, i.address, ST_Y(i.geom) AS lat, ST_X(i.geom) AS lon, i.photo_url, i.level, t.name AS township, v.name AS village,
       g.code AS grid, dup.code AS duplicate_code
FROM incidents i
LEFT JOIN incident_categories c ON c.name = i.category
LEFT JOIN departments d ON d.id = i.department_id
LEFT JOIN regions t ON t.id = i.township_id
LEFT JOIN regions v ON v.id = i.village_id
LEFT JOIN grids g ON g.id = i.grid_id
LEFT JOIN incidents dup ON dup.id = i.duplicate_of`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toRequest(r: any): Open311Request {
  const status = r.status as IncidentStatus;
  const notes = status === 'void' ? (r.duplicate_code ? `作废：与 ${r.duplicate_code} 重复` : '作废') : status === 'closed' ? '已结案' : null;
  return {
    service_request_id: r.code, status: open311Status(status), status_notes: notes, service_name: r.category, service_code: r.service_code,
    description: r.description, agency_responsible: r.agency, service_notice: null, requested_datetime: r.reported_at.toISOString(),
    updated_datetime: r.updated_at.toISOString(), expected_datetime: r.due_at ? r.due_at.toISOString() : null, address: r.address,
    address_id: null, zipcode: null, lat: r.lat, long: r.lon, media_url: r.photo_url,
    extended_attributes: { status_detail: status, status_label: STATUS_LABELS[status], level: r.level, township: r.township, village: r.village, grid: r.grid },
  };
}

function serviceOf(c: Category) {
  return { service_code: c.code, service_name: c.name, description: c.description, metadata: c.attributes.length > 0, type: 'realtime', keywords: c.group, group: c.group };
}

const open311Plugin: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.incidents;

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const format = formatOf(request.url);
    let code = 500;
    let description = 'internal error';
    if (err.validation) {
      code = 400;
      const v = err.validation[0];
      const field = (v?.instancePath || '').replace(/^\//, '') || (v?.params as { missingProperty?: string } | undefined)?.missingProperty || err.validationContext;
      description = `${field}: ${v?.message ?? 'invalid'}`;
    } else if (err instanceof HttpError) {
      code = err.statusCode;
      description = err.message;
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      code = err.statusCode;
      description = err.message;
    } else if (isDatabaseUnavailable(err)) {
      // as every other route: the hotline's system retries later
      app.db.availability.report(err);
      code = 503;
      description = 'database unavailable, retry shortly';
      reply.header('Retry-After', String(RETRY_AFTER_S));
    } else {
      request.log.error({ err }, 'open311 request failed');
    }
    return send(reply, format, 'errors', [{ code, description }], code);
  });
  app.setNotFoundHandler((request, reply) => send(reply, formatOf(request.url), 'errors', [{ code: 404, description: `no such resource ${request.url.split('?')[0]}` }], 404));

  /** The connected system behind an api_key; 403 when missing, unknown or revoked. */
  const client = async (key: string | undefined): Promise<Actor & { kind: 'open311' }> => {
    if (!key) throw new HttpError(403, 'api_key required');
    const { rows } = await app.db.pool.query('SELECT id, name FROM open311_clients WHERE key_hash = $1 AND active AND revoked_at IS NULL', [keyHash(key)]);
    if (!rows.length) throw new HttpError(403, 'invalid api_key');
    return { kind: 'open311', id: rows[0].id, name: rows[0].name };
  };
  /** GET: open to anyone, but a key that is given must be valid. */
  const optionalKey = async (key: string | undefined) => { if (key !== undefined) await client(key); };

  for (const fmt of ['json', 'xml'] as const) {
    app.get(`/services.${fmt}`, {
      schema: { tags: ['open311'], summary: `Open311: service list (${fmt})`, querystring: Open311KeyQuery },
    }, async (request, reply) => {
      await optionalKey(request.query.api_key);
      return send(reply, fmt, 'services', (await service.categories()).map(serviceOf));
    });

    app.post(`/requests.${fmt}`, {
      schema: { tags: ['open311'], summary: `Open311: file a service request, form-encoded (${fmt})` },
    }, async (request, reply) => {
      const form = (request.body ?? {}) as Open311Form;
      const actor = await client(form.api_key);
      const input = await parseForm(form);
      const { incident } = await service.report(actor, { ...input, source: 'hotline', contact: { ...input.contact, clientId: actor.id } }, { ip: request.ip });
      const notice = `已登记，编号 ${incident.code}，由${incident.township ?? ''}${incident.village ?? ''}受理`;
      return send(reply, fmt, 'service_requests', [{ service_request_id: incident.code, service_notice: notice, account_id: null }], 201);
    });

    app.get(`/requests.${fmt}`, {
      schema: { tags: ['open311'], summary: `Open311: service requests, filtered (${fmt}); default the last 90 days, at most 1,000`, querystring: Open311ListQuery },
    }, async (request, reply) => {
      const q = request.query;
      await optionalKey(q.api_key);
      const params: unknown[] = [];
      const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
      const where: string[] = [];
      if (q.service_request_id) {
        const ids = q.service_request_id.split(',').map((s) => s.trim()).filter(Boolean);
        if (ids.length > 1000) throw new HttpError(400, 'service_request_id: at most 1000 ids');
        where.push(`i.code = ANY(${p(ids)}::text[])`);
      } else {
        const end = q.end_date ? new Date(q.end_date) : new Date();
        const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - 90 * DAY);
        if (start > end) throw new HttpError(400, 'start_date: after end_date');
        where.push(`i.reported_at >= ${p(start)}`, `i.reported_at <= ${p(end)}`);
        if (q.service_code) where.push(`c.code = ANY(${p(q.service_code.split(',').map((s) => s.trim()))}::text[])`);
        if (q.status) {
          const st = new Set(q.status.split(','));
          if (!(st.has('open') && st.has('closed'))) where.push(st.has('closed') ? `i.status IN ('closed', 'void')` : `i.status NOT IN ('closed', 'void')`);
        }
      }
      const { rows } = await app.db.pool.query(`${REQUEST_SQL} WHERE ${where.join(' AND ')} ORDER BY i.reported_at DESC, i.id DESC LIMIT 1000`, params);
      return send(reply, fmt, 'service_requests', rows.map(toRequest));
    });
  }

  app.get('/services/:file', {
    schema: { tags: ['open311'], summary: 'Open311: service definition with its attributes (services/{code}.json|xml)', params: Type.Object({ file: Type.String({ maxLength: 100 }) }), querystring: Open311KeyQuery },
  }, async (request, reply) => {
    const m = /^(.+)\.(json|xml)$/.exec(request.params.file);
    if (!m) throw new HttpError(404, 'use services/{service_code}.json or .xml');
    await optionalKey(request.query.api_key);
    const c = (await service.categories()).find((x) => x.code === m[1]);
    if (!c) throw new HttpError(404, `service_code ${m[1]} not found`);
    return send(reply, m[2] as Format, 'service_definition', {
      service_code: c.code,
      attributes: c.attributes.map((a, i) => ({
        variable: true, code: a.code, datatype: a.datatype, required: a.required, datatype_description: null, order: i + 1,
        description: a.description, ...(a.values ? { values: a.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
      })),
    });
  });

  app.get('/requests/:file', {
    schema: { tags: ['open311'], summary: 'Open311: one service request (requests/{id}.json|xml)', params: Type.Object({ file: Type.String({ maxLength: 100 }) }), querystring: Open311KeyQuery },
  }, async (request, reply) => {
    const m = /^(.+)\.(json|xml)$/.exec(request.params.file);
    if (!m) throw new HttpError(404, 'use requests/{service_request_id}.json or .xml');
    await optionalKey(request.query.api_key);
    const { rows } = await app.db.pool.query(`${REQUEST_SQL} WHERE i.code = $1`, [m[1]]);
    if (!rows.length) throw new HttpError(404, `service_request_id ${m[1]} not found`);
    return send(reply, m[2] as Format, 'service_requests', rows.map(toRequest));
  });

  app.post('/requests/:id/:file', {
    schema: { tags: ['open311'], summary: 'Open311 extension: the citizen\'s rating of a resolved request (requests/{id}/rating.json: api_key, rating 1–5, comment)', params: Type.Object({ id: Type.String({ maxLength: 100 }), file: Type.String({ maxLength: 20 }) }) },
  }, async (request, reply) => {
    const m = /^rating\.(json|xml)$/.exec(request.params.file);
    if (!m) throw new HttpError(404, 'use requests/{service_request_id}/rating.json');
    const form = (request.body ?? {}) as Open311Form;
    const actor = await client(form.api_key);
    const rating = Number(form.rating);
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new HttpError(400, 'rating: an integer 1–5');
    const { rows } = await app.db.pool.query('SELECT id FROM incidents WHERE code = $1', [request.params.id]);
    if (!rows.length) throw new HttpError(404, `service_request_id ${request.params.id} not found`);
    await service.transition(actor, Number(rows[0].id), { action: 'rate', rating, comment: form.comment || undefined }, { ip: request.ip });
    const { rows: r } = await app.db.pool.query(`${REQUEST_SQL} WHERE i.id = $1`, [rows[0].id]);
    return send(reply, m[1] as Format, 'service_requests', r.map(toRequest));
  });

  /** Form fields → a report; 400 in Open311 terms for what is wrong. */
  async function parseForm(form: Open311Form) {
    const bad = (msg: string) => new HttpError(400, msg);
    if (!form.service_code) throw bad('service_code: required');
    const cat = (await service.categories()).find((c) => c.code === form.service_code);
    if (!cat) throw bad(`service_code: ${form.service_code.slice(0, 40)} not found`);
    const description = (form.description ?? '').trim();
    if (description.length > 4000) throw bad('description: at most 4000 characters');
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) {
      const am = /^attribute\[([^\]]+)\](\[\])?$/.exec(k);
      if (am && v !== undefined && v !== '') attrs[am[1]] = v;
    }
    for (const a of cat.attributes) {
      const v = attrs[a.code];
      if (v === undefined) { if (a.required) throw bad(`attribute[${a.code}]: required`); continue; }
      if (a.values && !a.values.some((x) => x.key === v)) throw bad(`attribute[${a.code}]: must be one of ${a.values.map((x) => x.key).join(', ')}`);
    }
    if (form.media_url && !/^https?:\/\/\S+$/.test(form.media_url)) throw bad('media_url: not an http(s) URL');
    let lon: number;
    let lat: number;
    const address = form.address_string?.trim() || null;
    if (form.lat !== undefined && form.lat !== '' && form.long !== undefined && form.long !== '') {
      lat = Number(form.lat);
      lon = Number(form.long);
      if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw bad('lat: not a latitude');
      if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw bad('long: not a longitude');
    } else if (address) {
      // No geocoder on the intranet: the village or township named in the address, at its label point.
      const { rows } = await app.db.pool.query(`
        SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions
        WHERE kind IN ('village', 'township') AND strpos($1, name) > 0 ORDER BY (kind = 'village') DESC, length(name) DESC LIMIT 1`, [address]);
      if (!rows.length) throw bad('lat/long: required (address_string names no known township or village)');
      ({ lon, lat } = rows[0]);
    } else {
      throw bad('lat/long or address_string: required');
    }
    return {
      category: cat.code, description: description || `${cat.name}（12345）`, lon, lat, address,
      photoUrl: form.media_url || null, attributes: attrs,
      contact: { firstName: form.first_name, lastName: form.last_name, email: form.email, phone: form.phone },
    };
  }
};

/** Registered at the root: the prefix gives the Open311 routes their own error and not-found handlers. */
const open311Routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(open311Plugin, { prefix: OPEN311_PREFIX });
};

export default open311Routes;
