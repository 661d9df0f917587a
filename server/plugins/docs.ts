// OpenAPI for the whole REST API, generated from the route schemas, served at /docs.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

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

async function docsPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    transformObject: (documentObject) => {
      const doc = 'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
      examplesToExample(doc);
      return doc;
    },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '东海县网格化治理指挥中心 API',
        description: 'Grids, regions, cameras, incidents, patrols and live positions of the grid governance command center.',
        version: '0.1.0',
      },
      tags: [
        { name: 'grids' }, { name: 'regions' }, { name: 'incidents' }, { name: 'patrols' }, { name: 'cameras' },
        { name: 'dashboard' }, { name: 'map' }, { name: 'auth' }, { name: 'system' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
}

export default fp(docsPlugin, { name: 'docs' });
