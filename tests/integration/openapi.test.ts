// /docs/json: the OpenAPI 3 document of the whole REST API, generated from the route schemas, valid
// (every $ref resolves) and listing every route; the OGC service-desc is valid OpenAPI 3.0 too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import SwaggerParser from '@apidevtools/swagger-parser';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { seededTestDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';

let db: Database;
let app: FastifyInstance;
/** app.inject as a logged-in viewer */
let api: Inject;

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db });
  api = authorisedInject(app, (await userWithToken(db.pool)).token);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('GET /docs/json', () => {
  it('is a valid OpenAPI 3 document', async () => {
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it('lists the open interfaces with their parameters', async () => {
    const doc = (await app.inject('/docs/json')).json();
    for (const [p, method] of [
      ['/ogc', 'get'], ['/ogc/conformance', 'get'], ['/ogc/collections', 'get'], ['/ogc/collections/{collectionId}', 'get'],
      ['/ogc/collections/{collectionId}/items', 'get'], ['/ogc/collections/{collectionId}/items/{featureId}', 'get'],
      ['/tiles/{layer}/{z}/{x}/{file}', 'get'], ['/tiles/{tilejson}', 'get'], ['/api/export/{file}', 'get'],
      ['/api/grids', 'get'], ['/api/regions', 'get'], ['/api/cameras', 'get'], ['/api/incidents', 'get'],
    ] as const) expect(doc.paths[p]?.[method], `${method} ${p}`).toBeTruthy();
    const items = doc.paths['/ogc/collections/{collectionId}/items'].get;
    expect(items.parameters.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['collectionId', 'limit', 'offset', 'bbox', 'datetime', 'f']));
    const limit = items.parameters.find((x: { name: string }) => x.name === 'limit');
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 10000 });
  });

  it('says how each operation is authorised: open, a login or bearer token, a phone key, and the roles', async () => {
    const doc = (await app.inject('/docs/json')).json();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerAuth', 'deviceKey', 'sessionCookie']);
    expect(doc.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/api/positions'].post.security).toEqual([{ deviceKey: [] }]);
    expect(doc.paths['/api/grids'].get.security).toBeUndefined(); // the document's default: a login
    expect(doc.paths['/api/grids/changes'].post.description).toMatch(/Roles: editor/);
  });

  it('every documented GET path without parameters is served', async () => {
    const doc = (await app.inject('/docs/json')).json();
    const listed = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) for (const m of Object.keys(ops)) listed.add(`${m.toUpperCase()} ${p}`);
    for (const key of listed) {
      const [method, p] = key.split(' ');
      if (method !== 'GET' || p.includes('{')) continue;
      const res = await api(p);
      expect(res.body, key).not.toMatch(/"message":"no route/);
    }
    expect(listed.size).toBeGreaterThan(20);
  });
});

describe('GET /ogc/api (service-desc)', () => {
  it('is a valid OpenAPI 3.0 document', async () => {
    const res = await api('/ogc/api');
    expect(res.headers['content-type']).toBe('application/vnd.oai.openapi+json;version=3.0');
    const doc = JSON.parse(res.body);
    expect(doc.openapi).toBe('3.0.3');
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });
});
