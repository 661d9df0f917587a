// OpenAPI for the whole REST API, generated from the route schemas, served at /docs.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { RouteAccess } from './auth.js';

/** OpenAPI 3.0 schemas take one `example`, not JSON Schema's `examples` array (TypeBox option):
 * rewritten everywhere so the document validates. */
function examplesToExample(node: unknown): void {
  if (Array.isArray(node)) { node.forEach(examplesToExample); return; }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (Array.isArray(obj.examples)) {
    if (obj.example === undefined && obj.examples.length) obj.example = obj.examples[0];
    delete obj.examples;
  }
  for (const v of Object.values(obj)) examplesToExample(v);
}

type Operation = { security?: Array<Record<string, string[]>>; description?: string };

/**
 * Who may call each operation, from the auth plugin's record of every route: open routes need
 * nothing, phones and Open311 systems bring their own key, the rest a session or a bearer token,
 * and routes limited to some roles say which.
 */
function documentAccess(doc: { paths?: Record<string, Record<string, Operation>> }, routes: readonly RouteAccess[]) {
  for (const r of routes) {
    const op = doc.paths?.[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
    if (!op) continue;
    if (r.access === 'public') op.security = [];
    else if (r.access === 'own-key') op.security = r.url.startsWith('/open311') ? [] : [{ deviceKey: [] }];
    if (r.roles?.length) op.description = `${op.description ? `${op.description}\n\n` : ''}Roles: ${r.roles.join(', ')} (or admin).`;
  }
}

async function docsPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    transformObject: (documentObject) => {
      const doc = 'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
      examplesToExample(doc);
      documentAccess(doc as Parameters<typeof documentAccess>[0], app.routeAccess ?? []);
      return doc;
    },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '东海县网格化治理指挥中心 API',
        description: 'Grids, regions, cameras, incidents, patrols and live positions of the grid governance command center.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API token (GIS desktops, other systems) or the wall screen token' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'gridcc_session', description: 'the browser session from POST /api/auth/login' },
          deviceKey: { type: 'apiKey', in: 'header', name: 'X-Device-Key', description: "a phone's own key (also `key` in the query, form or body)" },
        },
      },
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
      tags: [
        { name: 'grids' }, { name: 'regions' }, { name: 'incidents' }, { name: 'patrols' }, { name: 'cameras' },
        { name: 'dashboard' }, { name: 'map' }, { name: 'auth' }, { name: 'system' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
}

export default fp(docsPlugin, { name: 'docs' });
