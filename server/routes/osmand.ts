// The OsmAnd / Traccar Client protocol at /osmand, so grid workers can use the free Traccar Client
// app unchanged: any method, query string or form body, or the JSON body of newer clients.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RawPosition } from '../domain/positionRules.js';
import { isKeyRejection } from '../live/ingest.js';

const KNOTS_TO_MS = 0.514444;

type Params = Record<string, unknown>;

const first = (p: Params, ...keys: string[]) => {
  for (const k of keys) {
    const v = p[k];
    if (v !== undefined && v !== '') return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
};

const num = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : Number(v));

/** Query/form parameters of the OsmAnd protocol → our position fields. Speed arrives in knots. */
export function fromOsmAnd(p: Params, now: Date): RawPosition {
  let lat: unknown = first(p, 'lat');
  let lon: unknown = first(p, 'lon');
  const location = first(p, 'location');
  if ((lat === undefined || lon === undefined) && typeof location === 'string') [lat, lon] = location.split(',');
  const speedKnots = num(first(p, 'speed'));
  return {
    deviceId: first(p, 'id', 'deviceid'),
    time: first(p, 'timestamp') ?? now.toISOString(),
    lat: typeof lat === 'string' ? Number(lat) : lat,
    lon: typeof lon === 'string' ? Number(lon) : lon,
    speed: speedKnots === undefined ? undefined : Number.isFinite(speedKnots) ? speedKnots * KNOTS_TO_MS : NaN,
    heading: num(first(p, 'bearing', 'heading')),
    accuracy: num(first(p, 'accuracy')),
    battery: num(first(p, 'batt', 'battery')),
  };
}

/** The JSON body newer Traccar Client versions send (speed already in m/s, battery level 0–1). */
export function fromTraccarJson(body: Params, now: Date): RawPosition {
  const loc = (body.location ?? {}) as Params;
  const coords = (loc.coords ?? {}) as Params;
  const battery = (loc.battery ?? {}) as Params;
  const level = num(battery.level);
  return {
    deviceId: body.device_id ?? body.deviceId ?? body.id,
    time: loc.timestamp ?? now.toISOString(),
    lat: coords.latitude, lon: coords.longitude,
    speed: num(coords.speed) !== undefined && Number(coords.speed) < 0 ? undefined : num(coords.speed),
    heading: num(coords.heading) !== undefined && Number(coords.heading) < 0 ? undefined : num(coords.heading),
    accuracy: num(coords.accuracy),
    battery: level === undefined ? undefined : level >= 0 && level <= 1 ? level * 100 : level,
  };
}

const osmandRoutes: FastifyPluginAsync = async (app) => {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const now = new Date();
    const query = (request.query ?? {}) as Params;
    const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? request.body as Params : {};
    const raw = 'location' in body && typeof body.location === 'object'
      ? fromTraccarJson(body, now)
      : fromOsmAnd({ ...body, ...query }, now);
    // The device's key: in the server URL the worker set in the app (`…/osmand?key=…`), the form or
    // JSON body, or a header. An unknown device is left to the ingest rules (400, as Traccar does).
    const header = request.headers['x-device-key'];
    const key = [query.key, body.key, header].find((k): k is string => typeof k === 'string' && k !== '');
    const [result] = await app.live.ingest.submit([raw], key);
    if (result === 'stored' || result === 'duplicate') return reply.code(200).send();
    return reply.code(isKeyRejection(result) ? result.status : 400).type('text/plain').send(`${result.field}: ${result.reason}`);
  };
  const schema = {
    tags: ['patrols'],
    summary: 'OsmAnd / Traccar Client position (id, timestamp, lat, lon, speed in knots, bearing, altitude, accuracy, batt)',
    description: 'Any method; parameters in the query string or a form body, or the JSON body of newer Traccar Client versions. ' +
      '200 with an empty body once committed; 400 for an unknown device or a bad position. The device\'s key goes in a `key` ' +
      'parameter (put `?key=…` into the server URL in the app), the JSON body or an `X-Device-Key` header: 401 when missing or wrong, 403 when revoked.',
  };
  // Thousands of reports a minute: only warnings and errors are logged, not each request.
  app.route({ method: ['GET', 'POST', 'PUT'], url: '/osmand', schema, handler, logLevel: 'warn' });
};

export default osmandRoutes;
