// The Fastify app factory, used by `npm start` (server/main.ts) and by tests (app.inject).
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from './db/pool.js';
import { registerErrorHandling } from './http/errors.js';
import { registerGracefulClose } from './http/gracefulClose.js';
import { registerBodyLimits } from './http/bodyLimits.js';
import { registerFiniteParams } from './http/finiteParams.js';
import securityHeadersPlugin from './plugins/securityHeaders.js';
import rateLimitsPlugin from './plugins/rateLimits.js';
import type { RateLimits } from './config.js';
import healthRoutes from './routes/health.js';
import metricsRoutes from './routes/metrics.js';
import regionsRoutes from './routes/regions.js';
import gridsRoutes from './routes/grids.js';
import gridDetailRoutes from './routes/gridDetails.js';
import incidentsRoutes from './routes/incidents.js';
import kpisRoutes from './routes/kpis.js';
import camerasRoutes from './routes/cameras.js';
import basemapRoutes from './routes/basemap.js';
import searchRoutes from './routes/search.js';
import positionsRoutes from './routes/positions.js';
import osmandRoutes from './routes/osmand.js';
import patrolRoutes from './routes/patrols.js';
import incidentWorkflowRoutes, { IncidentService } from './routes/incidentWorkflow.js';
import { requestForLog } from './http/logRedaction.js';
import reportsRoutes from './routes/reports.js';
import open311Routes from './routes/open311.js';
import livePlugin, { type LiveOptions } from './plugins/live.js';
import serverStatusPlugin from './plugins/serverStatus.js';
import docsPlugin from './plugins/docs.js';
import authPlugin from './plugins/auth.js';
import authRoutes from './routes/auth.js';
import gridEditRoutes from './routes/gridEdits.js';
import clientConfigRoutes, { type ClientConfigOptions } from './routes/clientConfig.js';
import { DEFAULT_TIMEZONE } from './domain/localDay.js';
import ogcRoutes from './routes/ogc.js';
import tilesRoutes from './routes/tiles.js';
import exportsRoutes from './routes/exports.js';
import adminRoutes from './routes/admin.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    /** IANA time zone of the county: "today" starts at its midnight. */
    timezone: string;
  }
}

export interface AppOptions {
  db: Database;
  /** Built client to serve at / (optional: API-only when absent). */
  clientDir?: string;
  /** Request and error log (pino); `stream` sends it elsewhere than stdout. */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  timezone?: string;
  live?: LiveOptions;
  client?: ClientConfigOptions;
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto (true, or its addresses). */
  trustProxy?: boolean | string;
  /** Per-second limits on ingest, Open311 filing and login (defaults: server/config.ts). */
  rateLimits?: Partial<RateLimits>;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // secrets in query strings (device keys, tokens) never reach the log
    logger: opts.logger ? { ...(opts.logger === true ? {} : opts.logger), serializers: { req: requestForLog } } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    // strictNumbers: a JSON 1e309 (Infinity once parsed) is not a number to pass on to SQL.
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false, strictNumbers: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', opts.db);
  app.decorate('timezone', opts.timezone ?? DEFAULT_TIMEZONE);
  registerErrorHandling(app);
  registerGracefulClose(app);
  registerBodyLimits(app);
  registerFiniteParams(app);
  await app.register(securityHeadersPlugin, { onlineBasemap: Boolean(opts.client?.basemapStyleUrl) });
  await app.register(rateLimitsPlugin, opts.rateLimits ?? {});
  // Form bodies (OsmAnd clients, Open311): flat key → value (the first of repeated keys).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body as string)) if (!(k in out)) out[k] = v;
    done(null, out);
  });
  // Auth first: its onRoute hook sees every route (the docs' too).
  await app.register(authPlugin);
  await app.register(docsPlugin);
  await app.register(authRoutes);
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'], brotliOptions: { params: { [(await import('node:zlib')).constants.BROTLI_PARAM_QUALITY]: 4 } } });

  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(clientConfigRoutes, opts.client ?? {});
  await app.register(regionsRoutes);
  await app.register(gridsRoutes);
  await app.register(gridEditRoutes);
  await app.register(gridDetailRoutes);
  await app.register(incidentsRoutes);
  await app.register(kpisRoutes);
  await app.register(camerasRoutes);
  await app.register(basemapRoutes);
  await app.register(searchRoutes);
  await app.register(livePlugin, opts.live ?? {});
  // One incident service for every way in: the workflow API, Open311 and in-process callers (the
  // patrol simulator); each new incident goes to the screens through the live hub.
  app.decorate('incidents', new IncidentService(opts.db.pool, { timezone: app.timezone, publish: (m) => app.live.hub.publishIncident(m) }));
  await app.register(serverStatusPlugin);
  await app.register(positionsRoutes);
  await app.register(osmandRoutes);
  await app.register(patrolRoutes);
  await app.register(incidentWorkflowRoutes);
  await app.register(reportsRoutes);
  await app.register(open311Routes);
  await app.register(ogcRoutes);
  await app.register(tilesRoutes);
  await app.register(exportsRoutes);
  await app.register(adminRoutes);

  if (opts.clientDir && fs.existsSync(path.join(opts.clientDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: opts.clientDir, wildcard: false, maxAge: '1h', preCompressed: false });
    // Client-side routes (/screen, /reports, ...) get the app shell.
    const shell = fs.readFileSync(path.join(opts.clientDir, 'index.html'));
    app.get('/*', async (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.type('text/html').header('Cache-Control', 'no-cache').send(shell);
    });
  }
  return app;
}
