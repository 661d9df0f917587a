import { Type, type Static } from 'typebox';

export const Health = Type.Object({
  status: Type.Literal('ok'),
  mode: Type.Union([Type.Literal('embedded'), Type.Literal('external')]),
  postgres: Type.String({ examples: ['15.18'] }),
  postgis: Type.String({ examples: ['3.3.2'] }),
  counts: Type.Record(Type.String(), Type.Integer()),
});
export type Health = Static<typeof Health>;
