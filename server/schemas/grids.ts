import { Type, type Static } from 'typebox';
import { Feature, FeatureCollection, PolygonGeometry } from './geojson.js';

export const GridKind = Type.Union([Type.Literal('urban'), Type.Literal('rural')]);
export type GridKind = Static<typeof GridKind>;

export const GridsQuery = Type.Object({
  bbox: Type.Optional(Type.String({
    description: 'minLon,minLat,maxLon,maxLat (WGS84): only grids intersecting this box',
    examples: ['118.70,34.48,118.82,34.56'],
  })),
  format: Type.Optional(Type.Union([Type.Literal('geojson'), Type.Literal('topojson')], {
    default: 'geojson',
    description: 'geojson (default) or topojson: shared borders stored once, quantised — about a third of the bytes',
  })),
});
export type GridsQuery = Static<typeof GridsQuery>;

export const GridProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String({ examples: ['320722001001-01'] }),
  name: Type.String({ examples: ['牛山社区第1网格'] }),
  kind: GridKind,
  villageCode: Type.String(),
  villageName: Type.String(),
  townshipCode: Type.String(),
  townshipName: Type.String(),
  workerCount: Type.Integer(),
  version: Type.Integer(),
});
export type GridProperties = Static<typeof GridProperties>;

export const GridFeature = Feature(PolygonGeometry, GridProperties);
export const GridCollection = FeatureCollection(GridFeature);
export type GridFeature = Static<typeof GridFeature>;
export type GridCollection = Static<typeof GridCollection>;
