// The Fastify app factory, used by `npm start` (server/main.ts) and by tests (app.inject).
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from './db/pool.js';
import { registerErrorHandling } from './http/errors.js';
import healthRoutes from './routes/health.js';
import regionsRoutes from './routes/regions.js';
import gridsRoutes from './routes/grids.js';

declare module 'fastify' {
  interface FastifyInstance { db: Database }
}

export interface AppOptions {
  db: Database;
  /** Built client to serve at / (optional: API-only when absent). */
  clientDir?: string;
  logger?: boolean | { level: string };
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', opts.db);
  registerErrorHandling(app);
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'], brotliOptions: { params: { [(await import('node:zlib')).constants.BROTLI_PARAM_QUALITY]: 4 } } });

  await app.register(healthRoutes);
  await app.register(regionsRoutes);
  await app.register(gridsRoutes);

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
