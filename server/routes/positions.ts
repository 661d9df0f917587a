// POST /api/positions (a batch from a phone) and GET /api/positions/latest.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IngestResult, LatestPosition, LatestQuery, PositionInput } from '../schemas/positions.js';
import { parseBBox } from '../http/bbox.js';
import { LATEST_FROM, latestWhere } from '../live/latestStatus.js';
import { HttpError } from '../http/errors.js';
import { ErrorResponse } from '../schemas/errors.js';
import { isKeyRejection, type KeyedPosition } from '../live/ingest.js';

const positionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/positions', {
    // phones report all day: only warnings and errors are logged, not each request
    logLevel: 'warn',
    schema: {
      tags: ['patrols'],
      summary: 'Report a batch of 1–1,000 positions; acknowledged after commit',
      description: 'Each position is validated on its own: bad ones are listed by index in `rejected` while the good ones are stored. ' +
        'The same device and time twice is stored once (counted in `duplicates`). 400 when none could be stored. ' +
        'Each device proves itself with its key (issued by an administrator): the `X-Device-Key` header for the whole batch, or `key` in a position. ' +
        'When nothing was stored: 401 for a missing or wrong key, 403 for a device whose key was revoked.',
      headers: Type.Object({ 'x-device-key': Type.Optional(Type.String({ maxLength: 200 })) }),
      body: Type.Array(PositionInput, { minItems: 1, maxItems: 1000 }),
      response: { 200: IngestResult, 400: Type.Union([IngestResult, ErrorResponse]), 401: IngestResult, 403: IngestResult },
    },
    // Only the batch's shape is checked up front; each point is validated by the ingest rules.
    validatorCompiler: ({ httpPart }) => (data: unknown) => {
      if (httpPart !== 'body') return { value: data };
      if (!Array.isArray(data)) return { error: Object.assign(new Error('body: must be an array of positions'), { statusCode: 400 }) };
      if (data.length < 1 || data.length > 1000) return { error: Object.assign(new Error(`body: must hold 1–1,000 positions, got ${data.length}`), { statusCode: 400 }) };
      return { value: data };
    },
  }, async (request, reply) => {
    const batch = request.body as unknown[];
    const raws = batch.map((p) => (p && typeof p === 'object' && !Array.isArray(p) ? p : {}) as KeyedPosition);
    const header = request.headers['x-device-key'];
    const results = await app.live.ingest.submit(raws, typeof header === 'string' ? header : undefined);
    let accepted = 0; let duplicates = 0;
    let refusal: 401 | 403 | undefined;
    const rejected: Array<{ index: number; field: string; reason: string }> = [];
    results.forEach((r, index) => {
      if (r === 'stored') accepted++;
      else if (r === 'duplicate') duplicates++;
      else {
        rejected.push({ index, field: `${index}.${r.field}`, reason: r.reason });
        // a missing or wrong key (401) outweighs a revoked one (403)
        if (isKeyRejection(r)) refusal = refusal === 401 ? 401 : r.status;
      }
    });
    return reply.code(accepted + duplicates > 0 ? 200 : refusal ?? 400).send({ accepted, duplicates, rejected });
  });

  app.get('/api/positions/latest', {
    schema: {
      tags: ['patrols'],
      summary: 'Latest position and state of every worker (optionally in a box or township)',
      querystring: LatestQuery,
      response: { 200: Type.Array(LatestPosition) },
    },
  }, async (request) => {
    const { bbox, township } = request.query;
    if (township) {
      const { rowCount } = await app.db.pool.query(`SELECT 1 FROM regions WHERE code = $1 AND kind = 'township'`, [township]);
      if (!rowCount) throw new HttpError(400, `township: no township with code ${township}`, 'township');
    }
    const params: unknown[] = [];
    const where = latestWhere({ bbox: bbox ? parseBBox(bbox) : undefined, township }, params);
    const { rows } = await app.db.pool.query(`
      SELECT s.worker_id AS "workerId", w.name, w.role, w.grid_id AS "assignedGridId", s.grid_id AS "gridId",
             ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, s.ts AS time, s.speed, s.heading, s.battery, s.state, s.state_since AS "stateSince"
      FROM ${LATEST_FROM} ${where} ORDER BY s.worker_id`, params);
    return rows.map((r) => ({ ...r, time: r.time.toISOString(), stateSince: r.stateSince.toISOString() }));
  });
};

export default positionsRoutes;
