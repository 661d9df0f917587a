import { Type, type Static } from 'typebox';

export const Health = Type.Object({
  status: Type.Literal('ok'),
  mode: Type.Union([Type.Literal('embedded'), Type.Literal('external')]),
  postgres: Type.String({ examples: ['15.18'] }),
  postgis: Type.String({ examples: ['3.3.2'] }),
  counts: Type.Record(Type.String(), Type.Integer()),
});
export type Health = Static<typeof Health>;

/** GET /api/ready: 200 when the database answers and every migration is applied, 503 otherwise. */
export const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  migrations: Type.Optional(Type.Object({ applied: Type.Integer(), pending: Type.Array(Type.String()) })),
  reason: Type.Optional(Type.String()),
});
export type Ready = Static<typeof Ready>;
