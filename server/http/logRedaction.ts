// What the request log may show: the query parameters that carry secrets (a phone's device key,
// a token, an Open311 api_key) are masked, so logs can be shared and kept without handing out keys.
import type { FastifyRequest } from 'fastify';

const SECRET_PARAMS = /([?&](?:key|token|access_token|api_key|password)=)[^&#]*/gi;

/** The URL with the values of secret query parameters replaced. */
export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1[redacted]');

/** Fastify's request log entry, with the URL redacted. */
export function requestForLog(request: FastifyRequest) {
  return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
}
