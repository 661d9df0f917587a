// The 12345 hotline as a real Open311 GeoReport v2 client talks to us: form-encoded POST with the
// api_key in the body, `.json` / `.xml` suffixes, Open311 error arrays. Requests made here are
// deleted afterwards; the client rows are revoked and removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { createOpen311Client, toXml } from '../../server/routes/open311.js';
import { seededTestDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';

let db: Database;
let app: FastifyInstance;
/** app.inject as a logged-in viewer */
let api: Inject;
let apiKey: string;
let clientId: number;
let point: { lon: number; lat: number; township: string; village: string };
const codes: string[] = [];
const clients: number[] = [];

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (url: string, fields: Record<string, string>) => api({
  method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: form(fields),
});
const file = async (fields: Record<string, string>, suffix = 'json') => {
  const res = await post(`/open311/v2/requests.${suffix}`, { api_key: apiKey, ...fields });
  if (res.statusCode === 201 && suffix === 'json') codes.push(res.json()[0].service_request_id);
  return res;
};

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false } });
  api = authorisedInject(app, (await userWithToken(db.pool)).token);
  const c = await createOpen311Client(db.pool, `12345-test-${Date.now().toString(36)}`);
  ({ apiKey } = c);
  clientId = c.id;
  clients.push(c.id);
  const { rows: [p] } = await db.pool.query(`
    SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat, t.name AS township, v.name AS village
    FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id ORDER BY g.id DESC LIMIT 1`);
  point = p;
});

afterAll(async () => {
  if (codes.length) await db.pool.query('DELETE FROM incidents WHERE code = ANY($1::text[])', [codes]);
  if (clients.length) await db.pool.query('DELETE FROM open311_clients WHERE id = ANY($1::int[])', [clients]);
  await app?.close();
  await db?.close();
});

describe('services', () => {
  it('lists the categories as services, in JSON and XML', async () => {
    const res = await api({ url: '/open311/v2/services.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const services = res.json();
    expect(services).toHaveLength(20);
    expect(services[0]).toEqual({ service_code: 'C01', service_name: '环境卫生', description: expect.any(String), metadata: false, type: 'realtime', keywords: '城市管理', group: '城市管理' });
    expect(services.find((s: { service_code: string }) => s.service_code === 'C13').metadata).toBe(true);
    const xml = await api({ url: '/open311/v2/services.xml' });
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service><service_code>C01<\/service_code><service_name>环境卫生<\/service_name>/);
    expect(xml.body.match(/<service>/g)).toHaveLength(20);
  });

  it('defines a service\'s attributes', async () => {
    const res = await api({ url: '/open311/v2/services/C13.json' });
    expect(res.json()).toEqual({ service_code: 'C13', attributes: [{ variable: true, code: 'utility', datatype: 'singlevaluelist', required: true, datatype_description: null, order: 1, description: '类别',
      values: [{ key: 'water', name: '供水' }, { key: 'power', name: '供电' }, { key: 'gas', name: '燃气' }] }] });
    const xml = await api({ url: '/open311/v2/services/C13.xml' });
    expect(xml.body).toContain('<service_definition><service_code>C13</service_code><attributes><attribute><variable>true</variable><code>utility</code>');
    expect(xml.body).toContain('<values><value><key>water</key><name>供水</name></value>');
    const none = await api({ url: '/open311/v2/services/C99.json' });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toEqual([{ code: 404, description: 'service_code C99 not found' }]);
  });
});

describe('filing a request as the hotline does', () => {
  it('takes a form-encoded request with api_key, attributes and contact details, and never gives the contact back', async () => {
    const res = await file({
      service_code: 'C13', lat: String(point.lat), long: String(point.lon), description: '市民来电：小区停水已超过12小时',
      'attribute[utility]': 'water', first_name: '小明', last_name: '王', phone: '13800000000', email: 'wang@example.cn',
      media_url: 'https://12345.example/m/1.jpg', address_string: '某小区3栋',
    });
    expect(res.statusCode).toBe(201);
    const [r] = res.json();
    expect(Object.keys(r).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);
    expect(r.service_request_id).toMatch(/^SJ\d{8}-\d{7}$/);
    const { rows: [i] } = await db.pool.query(`SELECT i.source, i.category, i.status, i.attributes, i.photo_url, c.phone, c.first_name, c.client_id
      FROM incidents i JOIN incident_contacts c ON c.incident_id = i.id WHERE i.code = $1`, [r.service_request_id]);
    expect(i).toEqual({ source: 'hotline', category: '供水供电', status: 'reported', attributes: { utility: 'water' }, photo_url: 'https://12345.example/m/1.jpg', phone: '13800000000', first_name: '小明', client_id: clientId });
    // following it: no contact detail anywhere in the answer
    const one = await api({ url: `/open311/v2/requests/${r.service_request_id}.json` });
    expect(one.statusCode).toBe(200);
    const [got] = one.json();
    expect(got).toMatchObject({ service_request_id: r.service_request_id, status: 'open', service_code: 'C13', service_name: '供水供电', description: '市民来电：小区停水已超过12小时',
      address: '某小区3栋', media_url: 'https://12345.example/m/1.jpg', extended_attributes: { status_detail: 'reported', status_label: '上报', township: point.township, village: point.village } });
    expect(got.lat).toBeCloseTo(point.lat, 6);
    expect(got.long).toBeCloseTo(point.lon, 6);
    expect(Date.parse(got.expected_datetime)).toBeGreaterThan(Date.parse(got.requested_datetime));
    for (const secret of ['13800000000', 'wang@example.cn', '小明']) expect(one.body).not.toContain(secret);
    const xml = await api({ url: `/open311/v2/requests/${r.service_request_id}.xml` });
    expect(xml.body).toContain(`<service_requests><request><service_request_id>${r.service_request_id}</service_request_id><status>open</status>`);
    expect(xml.body).toContain('<extended_attributes><status_detail>reported</status_detail><status_label>上报</status_label>');
    expect(xml.body).not.toContain('13800000000');
  });

  it('answers XML when filed to requests.xml', async () => {
    const res = await file({ service_code: 'C01', lat: String(point.lat), long: String(point.lon), description: '垃圾 <未清运> & 异味' }, 'xml');
    expect(res.statusCode).toBe(201);
    const m = /<service_requests><request><service_request_id>(SJ\d{8}-\d{7})<\/service_request_id><service_notice>[^<]+<\/service_notice><account_id\/><\/request><\/service_requests>$/.exec(res.body);
    expect(m).not.toBeNull();
    codes.push(m![1]);
    const back = await api({ url: `/open311/v2/requests/${m![1]}.xml` });
    expect(back.body).toContain('<description>垃圾 &lt;未清运&gt; &amp; 异味</description>');
  });

  it('places a request by the village named in address_string when there is no lat/long', async () => {
    const res = await file({ service_code: 'C01', address_string: `东海县${point.township}${point.village}村口`, description: '路边垃圾' });
    expect(res.statusCode).toBe(201);
    const [got] = (await api({ url: `/open311/v2/requests/${res.json()[0].service_request_id}.json` })).json();
    expect(got.extended_attributes.village).toBe(point.village);
  });

  it('refuses missing, unknown and revoked keys with 403 in Open311\'s error format', async () => {
    const fields = { service_code: 'C01', lat: String(point.lat), long: String(point.lon), description: 'x' };
    const none = await post('/open311/v2/requests.json', fields);
    expect(none.statusCode).toBe(403);
    expect(none.json()).toEqual([{ code: 403, description: 'api_key required' }]);
    const wrong = await post('/open311/v2/requests.json', { ...fields, api_key: 'nope' });
    expect(wrong.json()).toEqual([{ code: 403, description: 'invalid api_key' }]);
    const c = await createOpen311Client(db.pool, `revoked-${Date.now().toString(36)}`);
    clients.push(c.id);
    await db.pool.query('UPDATE open311_clients SET revoked_at = now(), active = false WHERE id = $1', [c.id]);
    const revoked = await post('/open311/v2/requests.json', { ...fields, api_key: c.apiKey });
    expect(revoked.statusCode).toBe(403);
    const xml = await post('/open311/v2/requests.xml', fields);
    expect(xml.body).toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>403</code><description>api_key required</description></error></errors>');
    expect((await api({ url: '/open311/v2/services.json?api_key=nope' })).statusCode).toBe(403);
  });

  it('answers bad input with 400 (or 422 outside the county) in Open311\'s format', async () => {
    const base = { lat: String(point.lat), long: String(point.lon), description: 'x' };
    expect((await file({ ...base })).json()).toEqual([{ code: 400, description: 'service_code: required' }]);
    expect((await file({ ...base, service_code: 'C99' })).json()[0].code).toBe(400);
    expect((await file({ ...base, service_code: 'C13' })).json()).toEqual([{ code: 400, description: 'attribute[utility]: required' }]);
    expect((await file({ ...base, service_code: 'C13', 'attribute[utility]': 'oil' })).json()[0].description).toMatch(/^attribute\[utility\]: must be one of/);
    expect((await file({ ...base, service_code: 'C01', description: 'x'.repeat(4001) })).json()[0].description).toMatch(/^description/);
    expect((await file({ service_code: 'C01', description: 'x' })).json()[0].description).toMatch(/^lat\/long/);
    const far = await file({ service_code: 'C01', lat: '39.9', long: '116.4', description: 'x' });
    expect(far.statusCode).toBe(422);
    expect(far.json()[0].description).toMatch(/outside the county/);
    const nf = await api({ url: '/open311/v2/requests/SJ00000000-0000000.json' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json()[0].code).toBe(404);
    expect((await api({ url: '/open311/v2/nothing.json' })).json()[0].code).toBe(404);
  });
});

describe('following requests', () => {
  it('filters by id list, service code, dates and open/closed, with the full state in extended_attributes', async () => {
    const a = (await file({ service_code: 'C02', lat: String(point.lat), long: String(point.lon), description: '占道经营 A' })).json()[0].service_request_id;
    const b = (await file({ service_code: 'C02', lat: String(point.lat), long: String(point.lon), description: '占道经营 B' })).json()[0].service_request_id;
    // b is a duplicate of a: 作废 → closed for Open311
    const u = await createUser(db.pool, 'dispatcher');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: TEST_PASSWORD } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const id = async (code: string) => Number((await db.pool.query('SELECT id FROM incidents WHERE code = $1', [code])).rows[0].id);
    const [ia, ib] = [await id(a), await id(b)];
    expect((await api({ method: 'POST', url: `/api/incidents/${ib}/transitions`, headers: { cookie }, payload: { action: 'void', duplicateOf: ia } })).statusCode).toBe(200);
    for (const action of ['accept', 'dispatch', 'start', 'resolve']) {
      expect((await api({ method: 'POST', url: `/api/incidents/${ia}/transitions`, headers: { cookie }, payload: { action } })).statusCode).toBe(200);
    }
    const both = (await api({ url: `/open311/v2/requests.json?service_request_id=${a},${b}` })).json();
    expect(both).toHaveLength(2);
    const byId = Object.fromEntries(both.map((r: { service_request_id: string }) => [r.service_request_id, r]));
    // 办结 is still open until 结案
    expect(byId[a]).toMatchObject({ status: 'open', agency_responsible: '县城市管理局', extended_attributes: { status_detail: 'resolved', status_label: '办结' } });
    expect(byId[b]).toMatchObject({ status: 'closed', status_notes: `作废：与 ${a} 重复`, extended_attributes: { status_detail: 'void', status_label: '作废' } });
    const since = new Date(Date.now() - 60_000).toISOString();
    const closed = (await api({ url: `/open311/v2/requests.json?service_code=C02&status=closed&start_date=${since}` })).json();
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).toContain(b);
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(a);
    const open = (await api({ url: `/open311/v2/requests.json?service_code=C02&status=open&start_date=${since}` })).json();
    // (other tests may file incidents of the same service in the same minute)
    expect(open.map((r: { service_request_id: string }) => r.service_request_id)).toContain(a);
    expect(open.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(b);
    const old = (await api({ url: `/open311/v2/requests.json?service_code=C02&end_date=${since}&start_date=${new Date(Date.now() - 3_600_000).toISOString()}` })).json();
    expect(old.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(a);
    const xml = await api({ url: `/open311/v2/requests.xml?service_request_id=${a}` });
    expect(xml.body).toContain(`<service_request_id>${a}</service_request_id><status>open</status>`);
    expect((await api({ url: '/open311/v2/requests.json?status=pending' })).json()[0].code).toBe(400);

    // the citizen rates through the hotline (extension), then the dispatcher closes: closed
    const rate = await post(`/open311/v2/requests/${a}/rating.json`, { api_key: apiKey, rating: '5', comment: '满意' });
    expect(rate.statusCode).toBe(200);
    expect(rate.json()[0].extended_attributes).toMatchObject({ status_detail: 'rated', status_label: '评价' });
    const tl = (await api({ url: `/api/incidents/${ia}/timeline`, headers: { cookie } })).json();
    expect(tl.events.at(-1)).toMatchObject({ action: 'rate', actor: { kind: 'open311', userId: null }, data: { rating: 5, comment: '满意' } });
    expect((await post(`/open311/v2/requests/${a}/rating.json`, { api_key: apiKey, rating: '4' })).statusCode).toBe(409);
    await api({ method: 'POST', url: `/api/incidents/${ia}/transitions`, headers: { cookie }, payload: { action: 'close' } });
    expect((await api({ url: `/open311/v2/requests/${a}.json` })).json()[0].status).toBe('closed');
  });
});

describe('XML serializer', () => {
  it('escapes text and drops characters XML cannot carry', () => {
    expect(toXml('x', { a: `<&>"'`, b: null, c: [1, 2], d: 'ok\u0001' })).toBe(`<?xml version="1.0" encoding="utf-8"?>\n<x><a>&lt;&amp;&gt;&quot;&apos;</a><b/><c><c>1</c><c>2</c></c><d>ok</d></x>`);
  });
});
