declare module 'vt-pbf' {
  export interface TileFeature {
    id?: number;
    /** 1 point, 2 line, 3 polygon */
    type: 1 | 2 | 3;
    /** points: [[x, y], ...]; lines and polygons: rings of [x, y] */
    geometry: Array<[number, number]> | Array<Array<[number, number]>>;
    tags: Record<string, string | number | boolean>;
  }
  export function fromGeojsonVt(layers: Record<string, { features: TileFeature[] }>, options?: { version?: number; extent?: number }): Uint8Array;
  const vtpbf: { fromGeojsonVt: typeof fromGeojsonVt };
  export default vtpbf;
}
