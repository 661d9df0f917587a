// OGC API – Features Part 1 (Core) at /ogc: landing page, conformance, collections, items (paged by
// offset, ordered by id), single items; JSON (GeoJSON) and HTML by `f` or the Accept header.
// QGIS, ArcGIS and GDAL's OAPIF driver read every collection through it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest, HttpError } from '../http/errors.js';
import { parseBBox, type BBox } from '../http/bbox.js';
import { revisionKey, passThroughSerializer } from '../http/cache.js';
import { COLLECTIONS, countSql, extentSql, filterWhere, findCollection, itemSql, pageSql, type OgcCollection } from '../ogc/collections.js';
import { parseDatetime } from '../ogc/datetime.js';
import { DEFAULT_LIMIT, MAX_LIMIT, ogcOpenApi } from '../ogc/openapi.js';
import { esc, keyValueTable, page, rowsTable, type Link } from '../ogc/html.js';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
];
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian';
const JSON_TYPE = 'application/json';
const GEOJSON_TYPE = 'application/geo+json';
const HTML_TYPE = 'text/html';
const OAS_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

type Format = 'json' | 'html';

/** `f` wins; otherwise the Accept header's preference between HTML and JSON; JSON by default. */
export function negotiate(f: string | undefined, accept: string | undefined): Format {
  if (f === 'html' || f === 'json') return f;
  if (!accept) return 'json';
  let html = -1;
  let json = -1;
  accept.split(',').forEach((part, i) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qp = params.map((s) => s.trim()).find((s) => s.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    const score = q * 1000 - i; // ties: the earlier one
    if (type === 'text/html' || type === 'application/xhtml+xml') html = Math.max(html, score);
    if (type === 'application/json' || type === 'application/geo+json' || type.endsWith('+json')) json = Math.max(json, score);
  });
  return html > json ? 'html' : 'json';
}

const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

function queryString(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function alternates(href: string, extra: Record<string, string | number | undefined>, format: Format, jsonType = JSON_TYPE): Link[] {
  const json = `${href}${queryString({ ...extra, f: 'json' })}`;
  const html = `${href}${queryString({ ...extra, f: 'html' })}`;
  return format === 'json'
    ? [{ href: json, rel: 'self', type: jsonType, title: 'this document' }, { href: html, rel: 'alternate', type: HTML_TYPE, title: 'this document as HTML' }]
    : [{ href: html, rel: 'self', type: HTML_TYPE, title: 'this document' }, { href: json, rel: 'alternate', type: jsonType, title: 'this document as JSON' }];
}

/** Unknown query parameters are a 400 naming them (OGC /req/core/query-param-unknown). */
function checkParams(request: FastifyRequest, allowed: string[]): void {
  for (const key of Object.keys((request.query as Record<string, unknown>) ?? {})) {
    if (!allowed.includes(key)) throw badRequest(key, `unknown query parameter; allowed: ${allowed.join(', ')}`);
  }
}

interface Extent { bbox: BBox | null; interval: [string | null, string | null] | null }

const ogcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const extents = new Map<string, { key: string; until: number; value: Extent }>();

  async function extentOf(c: OgcCollection): Promise<Extent> {
    const key = c.revisions.length ? await revisionKey(app.db.pool, c.revisions) : '';
    const hit = extents.get(c.id);
    if (hit && hit.key === key && hit.until > Date.now()) return hit.value;
    const { rows: [r] } = await app.db.pool.query(extentSql(c));
    const round = (v: number, up: boolean) => (up ? Math.ceil(v * 1e6) : Math.floor(v * 1e6)) / 1e6;
    const value: Extent = {
      bbox: r.xmin === null ? null : [round(r.xmin, false), round(r.ymin, false), round(r.xmax, true), round(r.ymax, true)],
      interval: c.temporal ? [r.t0 ? r.t0.toISOString() : null, r.t1 ? r.t1.toISOString() : null] : null,
    };
    extents.set(c.id, { key, until: Date.now() + (c.revisions.length ? 3_600_000 : 60_000), value });
    return value;
  }

  async function collectionJson(request: FastifyRequest, c: OgcCollection, format: Format, withSelf: boolean) {
    const base = baseUrl(request);
    const href = `${base}/ogc/collections/${c.id}`;
    const ext = await extentOf(c);
    const extent: Record<string, unknown> = { spatial: { bbox: [ext.bbox ?? [-180, -90, 180, 90]], crs: CRS84 } };
    if (ext.interval) extent.temporal = { interval: [ext.interval], trs: GREGORIAN };
    return {
      id: c.id,
      title: c.title,
      description: c.description,
      links: [
        ...(withSelf ? alternates(href, {}, format) : [{ href, rel: 'self', type: JSON_TYPE, title: 'this collection' }]),
        { href: `${href}/items?f=json`, rel: 'items', type: GEOJSON_TYPE, title: `${c.title} (GeoJSON)` },
        { href: `${href}/items?f=html`, rel: 'items', type: HTML_TYPE, title: `${c.title} (HTML)` },
      ],
      extent,
      itemType: 'feature',
      crs: [CRS84],
    };
  }

  function send(reply: FastifyReply, format: Format, jsonType: string, body: unknown, html: () => string) {
    reply.header('Vary', 'Accept');
    if (format === 'html') return reply.type(`${HTML_TYPE}; charset=utf-8`).send(html());
    return reply.type(jsonType).send(typeof body === 'string' ? body : JSON.stringify(body));
  }

  const F = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')], { description: 'response format; default from the Accept header, else JSON' }));
  const FQuery = Type.Object({ f: F });
  const CollectionParams = Type.Object({ collectionId: Type.String({ description: `one of ${COLLECTIONS.map((c) => c.id).join(', ')}`, examples: ['grids'] }) });
  const ogcResponse = { 200: Type.Unknown({ description: 'JSON (application/json or application/geo+json) or HTML, by `f` / Accept' }) };

  app.get('/ogc', {
    schema: { tags: ['ogc'], summary: 'OGC API – Features landing page', querystring: FQuery, response: ogcResponse },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    checkParams(request, ['f']);
    const format = negotiate(request.query.f, request.headers.accept);
    const base = baseUrl(request);
    const body = {
      title: '东海县网格化治理 OGC API – Features',
      description: 'Grids, townships, villages, cameras and incidents of Donghai County (东海县), WGS 84.',
      links: [
        ...alternates(`${base}/ogc`, {}, format),
        { href: `${base}/ogc/api`, rel: 'service-desc', type: OAS_TYPE, title: 'the API definition (OpenAPI 3.0)' },
        { href: `${base}/docs`, rel: 'service-doc', type: HTML_TYPE, title: 'the API documentation' },
        { href: `${base}/ogc/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'conformance classes implemented' },
        { href: `${base}/ogc/collections`, rel: 'data', type: JSON_TYPE, title: 'the feature collections' },
      ] as Link[],
    };
    return send(reply, format, JSON_TYPE, body, () => page(body.title, `<p>${esc(body.description)}</p>
<ul>${body.links.filter((l) => l.rel !== 'self').map((l) => `<li><a href="${esc(l.href)}">${esc(l.title ?? l.rel)}</a> (${esc(l.rel)})</li>`).join('')}</ul>`, body.links));
  });

  app.get('/ogc/api', {
    schema: { tags: ['ogc'], summary: 'OpenAPI 3.0 definition of the OGC API (service-desc)', querystring: FQuery, response: ogcResponse },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    checkParams(request, ['f']);
    const doc = ogcOpenApi(baseUrl(request));
    if (request.query.f === 'html') return reply.redirect('/docs');
    // As a Buffer with the header set verbatim: GDAL matches `version=3.0` (unquoted) as a token.
    return reply.header('content-type', OAS_TYPE).send(Buffer.from(JSON.stringify(doc)));
  });

  app.get('/ogc/conformance', {
    schema: { tags: ['ogc'], summary: 'Conformance classes implemented', querystring: FQuery, response: ogcResponse },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    checkParams(request, ['f']);
    const format = negotiate(request.query.f, request.headers.accept);
    const links = alternates(`${baseUrl(request)}/ogc/conformance`, {}, format);
    return send(reply, format, JSON_TYPE, { links, conformsTo: CONFORMANCE }, () =>
      page('Conformance', `<ul>${CONFORMANCE.map((c) => `<li><code>${esc(c)}</code></li>`).join('')}</ul>`, links));
  });

  app.get('/ogc/collections', {
    schema: { tags: ['ogc'], summary: 'The feature collections with their extents', querystring: FQuery, response: ogcResponse },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    checkParams(request, ['f']);
    const format = negotiate(request.query.f, request.headers.accept);
    const links = alternates(`${baseUrl(request)}/ogc/collections`, {}, format);
    const collections = await Promise.all(COLLECTIONS.map((c) => collectionJson(request, c, format, false)));
    return send(reply, format, JSON_TYPE, { links, collections }, () => page('Collections', rowsTable(
      ['id', 'title', 'description', 'extent'],
      collections.map((c) => [
        { text: c.id, href: `/ogc/collections/${c.id}?f=html` }, { text: c.title }, { text: c.description },
        { text: JSON.stringify(c.extent) },
      ])), links));
  });

  app.get('/ogc/collections/:collectionId', {
    schema: { tags: ['ogc'], summary: 'One collection: title, links, spatial and temporal extent', params: CollectionParams, querystring: FQuery, response: ogcResponse },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    checkParams(request, ['f']);
    const c = collectionOr404(request.params.collectionId);
    const format = negotiate(request.query.f, request.headers.accept);
    const body = await collectionJson(request, c, format, true);
    return send(reply, format, JSON_TYPE, body, () => page(c.title, `<p>${esc(c.description)}</p>
${keyValueTable({ id: c.id, itemType: 'feature', geometry: c.geometryType, bbox: body.extent.spatial, temporal: body.extent.temporal ?? '—', properties: c.properties.map(([k]) => k).join(', ') })}
<p><a href="/ogc/collections/${esc(c.id)}/items?f=html">Browse the features</a></p>`, body.links));
  });

  const ItemsQuery = Type.Object({
    f: F,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `features per page (at most ${MAX_LIMIT})` })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'features to skip (set by the next link)' })),
    bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat (CRS84)', examples: ['118.70,34.48,118.80,34.56'] })),
    datetime: Type.Optional(Type.String({ description: 'RFC 3339 instant or interval start/end with ".." for an open end (incidents: report time)', examples: ['2026-11-01T00:00:00Z/..'] })),
  });

  app.get('/ogc/collections/:collectionId/items', {
    schema: { tags: ['ogc'], summary: 'Features of a collection (GeoJSON FeatureCollection, paged with next links)', params: CollectionParams, querystring: ItemsQuery, response: ogcResponse },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    checkParams(request, ['f', 'limit', 'offset', 'bbox', 'datetime']);
    const c = collectionOr404(request.params.collectionId);
    const q = request.query;
    const format = negotiate(q.f, request.headers.accept);
    const limit = q.limit ?? DEFAULT_LIMIT;
    const offset = q.offset ?? 0;
    const bbox = q.bbox === undefined ? null : parseOgcBBox(q.bbox);
    const window = q.datetime === undefined ? null : parseDatetime(q.datetime);
    const params: unknown[] = [];
    const where = filterWhere(c, { bbox, start: window?.start, end: window?.end }, params);
    const countParams = [...params];
    params.push(limit, offset);
    const [count, pageRows] = await Promise.all([
      app.db.pool.query<{ n: number }>(countSql(c, where), countParams),
      app.db.pool.query<{ n: number; features: string }>(pageSql(c, where, `$${params.length - 1}`, `$${params.length}`), params),
    ]);
    const matched = count.rows[0].n;
    const returned = pageRows.rows[0].n;
    const href = `${baseUrl(request)}/ogc/collections/${c.id}/items`;
    const keep = { limit: q.limit, bbox: q.bbox, datetime: q.datetime };
    const links: Link[] = [...alternates(href, { ...keep, offset: offset || undefined }, format, GEOJSON_TYPE)];
    const pageFormat = format === 'html' ? 'html' : 'json';
    const pageType = format === 'html' ? HTML_TYPE : GEOJSON_TYPE;
    if (offset + returned < matched) links.push({ href: `${href}${queryString({ ...keep, offset: offset + returned, f: pageFormat })}`, rel: 'next', type: pageType, title: 'next page' });
    if (offset > 0) links.push({ href: `${href}${queryString({ ...keep, offset: Math.max(0, offset - limit) || undefined, f: pageFormat })}`, rel: 'prev', type: pageType, title: 'previous page' });
    links.push({ href: `${baseUrl(request)}/ogc/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title });
    const timeStamp = new Date().toISOString();
    const text = `{"type":"FeatureCollection","numberMatched":${matched},"numberReturned":${returned},"timeStamp":"${timeStamp}","links":${JSON.stringify(links)},"features":${pageRows.rows[0].features}}`;
    return send(reply, format, GEOJSON_TYPE, text, () => {
      const features = JSON.parse(pageRows.rows[0].features) as Array<{ id: number; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }>;
      const cols = c.properties.map(([k]) => k);
      return page(`${c.title}: features ${matched ? offset + 1 : 0}–${offset + returned} of ${matched}`, rowsTable(
        ['id', ...cols, 'geometry'],
        features.map((f) => [
          { text: f.id, href: `/ogc/collections/${c.id}/items/${f.id}?f=html` },
          ...cols.map((k) => ({ text: f.properties[k] })),
          { text: f.geometry.type === 'Point' ? (f.geometry.coordinates as number[]).join(', ') : f.geometry.type },
        ])), links.map((l) => (l.rel === 'collection' ? { ...l, href: `${l.href}?f=html` } : l)));
    });
  });

  app.get('/ogc/collections/:collectionId/items/:featureId', {
    schema: {
      tags: ['ogc'], summary: 'One feature (GeoJSON Feature)',
      params: Type.Object({ collectionId: CollectionParams.properties.collectionId, featureId: Type.String({ description: 'the feature id', examples: ['1'] }) }),
      querystring: FQuery, response: ogcResponse,
    },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    checkParams(request, ['f']);
    const c = collectionOr404(request.params.collectionId);
    const idText = request.params.featureId;
    const id = /^[1-9]\d{0,14}$/.test(idText) ? Number(idText) : null;
    const { rows } = id === null ? { rows: [] } : await app.db.pool.query<{ feature: string }>(itemSql(c), [id]);
    if (!rows.length) throw new HttpError(404, `feature ${idText.slice(0, 40)} not found in collection ${c.id}`, 'featureId');
    const format = negotiate(request.query.f, request.headers.accept);
    const base = baseUrl(request);
    const links: Link[] = [
      ...alternates(`${base}/ogc/collections/${c.id}/items/${id}`, {}, format, GEOJSON_TYPE),
      { href: `${base}/ogc/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title },
    ];
    const text = rows[0].feature;
    const body = `${text.slice(0, -1)},"links":${JSON.stringify(links)}}`;
    return send(reply, format, GEOJSON_TYPE, body, () => {
      const f = JSON.parse(text) as { id: number; geometry: unknown; properties: Record<string, unknown> };
      return page(`${c.title} ${f.id}`, `${keyValueTable({ id: f.id, ...f.properties })}
<details><summary>geometry (GeoJSON)</summary><pre>${esc(JSON.stringify(f.geometry))}</pre></details>`,
      links.map((l) => (l.rel === 'collection' ? { ...l, href: `${l.href}?f=html` } : l)));
    });
  });
};

function collectionOr404(id: string): OgcCollection {
  const c = findCollection(id);
  if (!c) throw new HttpError(404, `collection ${id.slice(0, 40)} not found; collections: ${COLLECTIONS.map((x) => x.id).join(', ')}`, 'collectionId');
  return c;
}

/** bbox of 4 numbers, or 6 (with heights, which are ignored). */
function parseOgcBBox(value: string): BBox {
  const parts = value.split(',');
  if (parts.length === 6) return parseBBox([parts[0], parts[1], parts[3], parts[4]].join(','), 'bbox');
  return parseBBox(value, 'bbox');
}

export default ogcRoutes;
