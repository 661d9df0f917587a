import { Type, type Static } from 'typebox';
import { Feature, FeatureCollection, MultiPolygonGeometry } from './geojson.js';

export const RegionLevel = Type.Union([Type.Literal('county'), Type.Literal('township'), Type.Literal('village')]);
export type RegionLevel = Static<typeof RegionLevel>;

export const RegionsQuery = Type.Object({
  level: Type.Optional(RegionLevel),
});

export const RegionProperties = Type.Object({
  code: Type.String({ examples: ['320722001'] }),
  name: Type.String({ examples: ['牛山街道'] }),
  kind: RegionLevel,
  /** 街道 / 镇 / 乡 / 开发区 for townships; 社区 / 村 / 林场 for villages */
  subtype: Type.Union([Type.String(), Type.Null()]),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  /** Where the name label goes (inside the area). */
  label: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
  areaKm2: Type.Number(),
});
export type RegionProperties = Static<typeof RegionProperties>;

export const RegionFeature = Feature(MultiPolygonGeometry, RegionProperties);
export const RegionCollection = FeatureCollection(RegionFeature);
export type RegionFeature = Static<typeof RegionFeature>;
export type RegionCollection = Static<typeof RegionCollection>;
