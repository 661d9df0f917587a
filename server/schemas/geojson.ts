// GeoJSON shapes shared by the route schemas (RFC 7946), as TypeBox schemas and TS types.
import { Type, type Static, type TSchema } from 'typebox';

export const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3, description: '[lon, lat] in WGS84' });
export const PolygonGeometry = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Type.Array(Position)),
});
export const MultiPolygonGeometry = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(Type.Array(Position))),
});
export const PointGeometry = Type.Object({ type: Type.Literal('Point'), coordinates: Position });

export function Feature<G extends TSchema, P extends TSchema>(geometry: G, properties: P) {
  return Type.Object({
    type: Type.Literal('Feature'),
    id: Type.Union([Type.Integer(), Type.String()]),
    geometry,
    properties,
  });
}

export function FeatureCollection<F extends TSchema>(feature: F) {
  return Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(feature) });
}

export type PolygonGeometry = Static<typeof PolygonGeometry>;
export type MultiPolygonGeometry = Static<typeof MultiPolygonGeometry>;
