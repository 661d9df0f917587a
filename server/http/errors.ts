// One error shape for every route: { statusCode, error, message, field?, reason? }.
// Validation failures name the field; unexpected failures never leak stack traces or SQL.
import type { FastifyError, FastifyInstance } from 'fastify';

export class HttpError extends Error {
  constructor(public statusCode: number, message: string, public field?: string, public details?: Record<string, unknown>) {
    super(message);
  }
}

export const badRequest = (field: string, reason: string) => new HttpError(400, `${field}: ${reason}`, field);

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** "querystring/level" + "must be equal to one of the allowed values" → field "level". */
function validationField(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) return undefined;
  const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
  const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
  return [path, missing].filter(Boolean).join('.') || err.validationContext;
}

// Errors from the database driver that mean "the database is not reachable now".
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '53300']);

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { field?: string; details?: Record<string, unknown>; code?: string }, request, reply) => {
    if (err.validation) {
      const field = validationField(err);
      const v = err.validation[0];
      const reason = v?.message ?? 'invalid';
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `${field ?? err.validationContext}: ${reason}`, field, reason });
    }
    if (err instanceof HttpError) {
      const code = err.statusCode;
      return reply.code(code).send({ statusCode: code, error: STATUS_TEXT[code] ?? 'Error', message: err.message, field: err.field, ...err.details });
    }
    if (err.code && UNAVAILABLE.has(err.code)) {
      request.log.warn({ code: err.code }, 'database unavailable');
      return reply.code(503).header('Retry-After', '5').send({ statusCode: 503, error: 'Service Unavailable', message: 'database unavailable, retry shortly' });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
    }
    // Fastify's own 4xx (bad JSON, body too large, unsupported media type): keep its message.
    return reply.code(status).send({ statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message: err.message });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
