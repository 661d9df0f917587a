// Path and query values reach SQL as parameters: refuse what PostgreSQL would choke on with a 400
// naming the field. Ajv's type coercion lets "Infinity" and "1e309" through as integers, and a NUL
// character cannot be stored in text.
import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.js';

function check(where: string, values: unknown) {
  if (!values || typeof values !== 'object') return;
  for (const [key, v] of Object.entries(values as Record<string, unknown>)) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (typeof x === 'number' && !Number.isFinite(x)) throw badRequest(key, 'must be a finite number');
      if (typeof x === 'string' && x.includes('\u0000')) throw badRequest(key, `must not contain a NUL character (${where})`);
    }
  }
}

export function registerFiniteParams(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    check('path', request.params);
    check('query', request.query);
  });
}
