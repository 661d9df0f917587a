// The OpenAPI 3.0 definition of the OGC API – Features service (the landing page's service-desc).
import { COLLECTIONS } from './collections.js';

export const MAX_LIMIT = 10_000;
export const DEFAULT_LIMIT = 10;

const link = {
  type: 'object', required: ['href', 'rel'],
  properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' } },
};
const json = (ref: string) => ({ schema: { $ref: `#/components/schemas/${ref}` } });
const html = { 'text/html': { schema: { type: 'string' } } };
const errors = {
  400: { description: 'A query parameter has an invalid value; the message names it.', content: { 'application/json': json('exception') } },
  500: { description: 'A server error occurred.', content: { 'application/json': json('exception') } },
};
const fParam = { $ref: '#/components/parameters/f' };

export function ogcOpenApi(baseUrl: string): Record<string, unknown> {
  const collectionIds = COLLECTIONS.map((c) => c.id);
  return {
    openapi: '3.0.3',
    info: {
      title: '东海县网格化治理 OGC API – Features',
      description: 'Grids, townships, villages, cameras and incidents of the Donghai County grid governance command center, as OGC API – Features Part 1 (Core).',
      version: '1.0.0',
      license: { name: 'MIT' },
    },
    servers: [{ url: `${baseUrl}/ogc` }],
    tags: [{ name: 'Capabilities' }, { name: 'Data' }],
    paths: {
      '/': {
        get: {
          tags: ['Capabilities'], summary: 'Landing page', operationId: 'getLandingPage', parameters: [fParam],
          responses: { 200: { description: 'Links to the API definition, conformance and collections.', content: { 'application/json': json('landingPage'), ...html } }, ...errors },
        },
      },
      '/conformance': {
        get: {
          tags: ['Capabilities'], summary: 'Conformance classes implemented', operationId: 'getConformanceDeclaration', parameters: [fParam],
          responses: { 200: { description: 'The conformance classes.', content: { 'application/json': json('confClasses'), ...html } }, ...errors },
        },
      },
      '/api': {
        get: {
          tags: ['Capabilities'], summary: 'This API definition', operationId: 'getApiDefinition',
          responses: { 200: { description: 'The OpenAPI 3.0 document.', content: { 'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } } } } },
        },
      },
      '/collections': {
        get: {
          tags: ['Capabilities'], summary: 'The feature collections', operationId: 'getCollections', parameters: [fParam],
          responses: { 200: { description: 'The collections with their extents.', content: { 'application/json': json('collections'), ...html } }, ...errors },
        },
      },
      '/collections/{collectionId}': {
        get: {
          tags: ['Capabilities'], summary: 'One collection', operationId: 'describeCollection',
          parameters: [{ $ref: '#/components/parameters/collectionId' }, fParam],
          responses: {
            200: { description: 'The collection metadata.', content: { 'application/json': json('collection'), ...html } },
            404: { description: 'No such collection.', content: { 'application/json': json('exception') } }, ...errors,
          },
        },
      },
      '/collections/{collectionId}/items': {
        get: {
          tags: ['Data'], summary: 'Features of a collection', operationId: 'getFeatures',
          parameters: [
            { $ref: '#/components/parameters/collectionId' }, { $ref: '#/components/parameters/limit' },
            { $ref: '#/components/parameters/offset' }, { $ref: '#/components/parameters/bbox' },
            { $ref: '#/components/parameters/datetime' }, fParam,
          ],
          responses: {
            200: { description: 'A page of features, with a `next` link while more match.', content: { 'application/geo+json': json('featureCollectionGeoJSON'), ...html } },
            404: { description: 'No such collection.', content: { 'application/json': json('exception') } }, ...errors,
          },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          tags: ['Data'], summary: 'One feature', operationId: 'getFeature',
          parameters: [{ $ref: '#/components/parameters/collectionId' }, { $ref: '#/components/parameters/featureId' }, fParam],
          responses: {
            200: { description: 'The feature.', content: { 'application/geo+json': json('featureGeoJSON'), ...html } },
            404: { description: 'No such collection or feature.', content: { 'application/json': json('exception') } }, ...errors,
          },
        },
      },
    },
    components: {
      parameters: {
        collectionId: { name: 'collectionId', in: 'path', required: true, description: 'The collection', schema: { type: 'string', enum: collectionIds } },
        featureId: { name: 'featureId', in: 'path', required: true, description: 'The feature id', schema: { type: 'integer', minimum: 1 } },
        f: { name: 'f', in: 'query', required: false, description: 'Response format (default: by the Accept header, else JSON)', schema: { type: 'string', enum: ['json', 'html'] }, style: 'form', explode: false },
        limit: {
          name: 'limit', in: 'query', required: false, style: 'form', explode: false,
          description: `Features per page (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}).`,
          schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
        },
        offset: {
          name: 'offset', in: 'query', required: false, style: 'form', explode: false,
          description: 'Features to skip (paging; the `next` link sets it).', schema: { type: 'integer', minimum: 0, default: 0 },
        },
        bbox: {
          name: 'bbox', in: 'query', required: false, style: 'form', explode: false,
          description: 'minLon,minLat,maxLon,maxLat in CRS84 (WGS 84 longitude, latitude).',
          schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
        },
        datetime: {
          name: 'datetime', in: 'query', required: false, style: 'form', explode: false,
          description: 'An RFC 3339 instant or an interval `start/end` (`..` for an open end); filters incidents on their report time, ignored by collections without time.',
          schema: { type: 'string' }, example: '2026-11-01T00:00:00Z/..',
        },
      },
      schemas: {
        exception: { type: 'object', required: ['statusCode', 'message'], properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } },
        link,
        landingPage: {
          type: 'object', required: ['links'],
          properties: { title: { type: 'string' }, description: { type: 'string' }, links: { type: 'array', items: { $ref: '#/components/schemas/link' } } },
        },
        confClasses: { type: 'object', required: ['conformsTo'], properties: { conformsTo: { type: 'array', items: { type: 'string' } } } },
        extent: {
          type: 'object',
          properties: {
            spatial: { type: 'object', properties: { bbox: { type: 'array', items: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } }, crs: { type: 'string' } } },
            temporal: { type: 'object', properties: { interval: { type: 'array', items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', format: 'date-time', nullable: true } } }, trs: { type: 'string' } } },
          },
        },
        collection: {
          type: 'object', required: ['id', 'links'],
          properties: {
            id: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' },
            links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
            extent: { $ref: '#/components/schemas/extent' }, itemType: { type: 'string' },
            crs: { type: 'array', items: { type: 'string' } },
          },
        },
        collections: {
          type: 'object', required: ['links', 'collections'],
          properties: {
            links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
            collections: { type: 'array', items: { $ref: '#/components/schemas/collection' } },
          },
        },
        geometryGeoJSON: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] }, coordinates: { type: 'array', items: {} } } },
        featureGeoJSON: {
          type: 'object', required: ['type', 'geometry', 'properties'],
          properties: {
            type: { type: 'string', enum: ['Feature'] },
            geometry: { $ref: '#/components/schemas/geometryGeoJSON' },
            properties: { type: 'object', nullable: true },
            id: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
            links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
          },
        },
        featureCollectionGeoJSON: {
          type: 'object', required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: { type: 'array', items: { $ref: '#/components/schemas/featureGeoJSON' } },
            links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
            timeStamp: { type: 'string', format: 'date-time' },
            numberMatched: { type: 'integer', minimum: 0 },
            numberReturned: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  };
}
