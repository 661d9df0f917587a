// One error shape for every route: { statusCode, error, message, field?, reason? }.
// Validation failures name the field; unexpected failures never leak stack traces or SQL.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/availability.js';

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

/** Seconds a client should wait before retrying while the database or the server is unavailable. */
export const RETRY_AFTER_S = 5;

/**
 * 503 + Retry-After when `err` means the database is unreachable (or the server is stopping), and
 * marks the database down; false otherwise. Shared with routes that format their own errors.
 */
export function replyUnavailable(app: FastifyInstance, err: unknown, request: FastifyRequest, reply: FastifyReply,
  send: (message: string) => unknown = (message) => reply.send({ statusCode: 503, error: 'Service Unavailable', message })): boolean {
  const stopping = (err as { statusCode?: number } | null)?.statusCode === 503;
  if (!stopping && !isDatabaseUnavailable(err)) return false;
  if (!stopping) {
    app.db?.availability?.report(err);
    request.log.warn({ code: (err as { code?: string }).code }, 'database unavailable');
  }
  reply.code(503).header('Retry-After', String(RETRY_AFTER_S));
  send(stopping ? 'server is restarting, retry shortly' : 'database unavailable, retry shortly');
  return true;
}

/** Fastify's own 4xx with a clearer message where its default names no field. */
function fastifyMessage(err: FastifyError, request: FastifyRequest): string {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return `body: larger than the ${Math.round((request.routeOptions.bodyLimit ?? 0) / 1024)} KB allowed for ${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return `content-type: ${String(request.headers['content-type'] ?? 'none').slice(0, 100)} is not accepted here`;
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'body: empty, but the content-type says JSON';
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return `body: not valid JSON (${err.message.slice(0, 200)})`;
  return err.message;
}

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
    if (replyUnavailable(app, err, request, reply)) return reply;
    // Text PostgreSQL cannot store (a NUL character, or one the encoding lacks) came from the request.
    if (err.code === '22021' || err.code === '22P05') {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'a text value contains a character that cannot be stored (NUL)', reason: 'unstorable character' });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
    }
    // Fastify's own 4xx (bad JSON, body too large, unsupported media type).
    const message = fastifyMessage(err, request);
    const field = /^(body|content-type):/.exec(message)?.[1];
    return reply.code(status).send({ statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message, field });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
