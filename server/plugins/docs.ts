// OpenAPI for the whole REST API, generated from the route schemas, served at /docs.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

async function docsPlugin(app: FastifyInstance) {
  await app.register(swagger, {
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
