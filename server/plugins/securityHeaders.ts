// Security headers on every response (phones' ingest routes: nosniff only). The Content-Security-Policy allows what the built client
// needs and nothing else: our own scripts, styles (and inline style attributes: MapLibre and the OGC
// HTML pages use them), MapLibre's worker (a module from /assets, or a blob:), images from data: and
// blob: (the canvas, the favicon, deck.gl's icon atlases), and connections to this origin (the REST
// API, tiles and the socket.io websocket). An online base map (BASEMAP_STYLE_URL) adds https: for its style, tiles,
// glyphs and sprites. HSTS only behind TLS (directly, or a proxy trusted with TRUST_PROXY).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

export interface SecurityHeadersOptions {
  /** An online base map is configured: its hosts are not known in advance. */
  onlineBasemap?: boolean;
}

export function contentSecurityPolicy(opts: SecurityHeadersOptions, tls: boolean): string {
  const remote = opts.onlineBasemap ? ' https:' : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${remote}`,
    `font-src 'self' data:${remote}`,
    // deck.gl fetches its icon atlases from data: URLs; MapLibre reads images back from blob: ones
    `connect-src 'self' data: blob:${remote}`,
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(tls ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

async function securityHeadersPlugin(app: FastifyInstance, opts: SecurityHeadersOptions) {
  const common = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
  const plain = { ...common, 'content-security-policy': contentSecurityPolicy(opts, false) };
  const tls = {
    ...common,
    'content-security-policy': contentSecurityPolicy(opts, true),
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
  };
  // Phones posting positions get only nosniff: nothing they are answered is ever rendered, and at
  // thousands of requests a second the policy headers were a good part of each response's bytes.
  const device = { 'x-content-type-options': 'nosniff' };
  const DEVICE_ROUTES = new Set(['/osmand', '/api/positions']);
  // onRequest: the headers are on the reply before anything can fail, so errors and 404s carry them too.
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== undefined && DEVICE_ROUTES.has(request.routeOptions.url)) reply.headers(device);
    else reply.headers(request.protocol === 'https' ? tls : plain);
  });
}

export default fp(securityHeadersPlugin, { name: 'security-headers' });
