// Reads the real inputs in data/sources (outline, official divisions, the county seat) and adds the
// few facts the generator needs that are not in them: approximate town-centre positions and relative
// township areas. Those two are estimates for a plausible demo (from general knowledge of the county
// map: 石梁河 in the north by its reservoir, 黄川/驼峰 in the eastern lobe, 房山 in the southern bulge,
// 山左口/李埝 in the west), not surveyed data.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { project, type XY } from './geo.js';

const SOURCES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sources');

export interface VillageSource { code: string; name: string; type: string }
export interface TownshipSource { code: string; name: string; type: string; villages: VillageSource[] }

export interface Village {
  code: string;
  /** Official name, e.g. 牛山社区居民委员会. */
  fullName: string;
  /** Display name without 居民委员会 / 村民委员会 / 委会: 牛山社区, 石榴村. */
  name: string;
  subtype: '社区' | '村' | '林场';
  urban: boolean;
  township: number;
}

export interface Township {
  code: string;
  name: string;
  subtype: '街道' | '镇' | '乡' | '开发区';
  /** Town centre (WGS84) and projected. */
  centre: XY;
  centreXY: XY;
  /** Relative area weight (≈ km²). */
  area: number;
  villages: number[];
}

export interface Sources {
  outline: XY[];           // WGS84 ring, closed (first = last)
  outlineXY: XY[];         // projected, open ring
  seat: XY;                // 牛山 (WGS84)
  countyCode: string;
  countyName: string;
  townships: Township[];
  villages: Village[];
}

/** Approximate town centres (WGS84) and relative areas (km²). Keyed by official township code. */
const TOWNSHIP_PROFILE: Record<string, { centre: XY; area: number }> = {
  '320722001': { centre: [118.76495, 34.52352], area: 92 },   // 牛山街道: the county seat (GeoNames)
  '320722002': { centre: [118.822, 34.468], area: 84 },       // 石榴街道
  '320722101': { centre: [118.897, 34.582], area: 108 },      // 白塔埠镇
  '320722103': { centre: [119.072, 34.545], area: 100 },      // 黄川镇
  '320722104': { centre: [118.842, 34.728], area: 150 },      // 石梁河镇
  '320722105': { centre: [118.800, 34.642], area: 114 },      // 青湖镇
  '320722107': { centre: [118.662, 34.612], area: 90 },       // 温泉镇
  '320722108': { centre: [118.598, 34.668], area: 96 },       // 双店镇
  '320722109': { centre: [118.512, 34.662], area: 124 },      // 桃林镇
  '320722110': { centre: [118.712, 34.672], area: 92 },       // 洪庄镇
  '320722111': { centre: [118.655, 34.478], area: 124 },      // 安峰镇
  '320722112': { centre: [118.748, 34.398], area: 116 },      // 房山镇
  '320722113': { centre: [118.878, 34.405], area: 110 },      // 平明镇
  '320722114': { centre: [118.578, 34.585], area: 70 },       // 曲阳镇
  '320722115': { centre: [118.458, 34.575], area: 108 },      // 山左口镇
  '320722200': { centre: [118.975, 34.452], area: 96 },       // 驼峰乡
  '320722203': { centre: [118.498, 34.472], area: 66 },       // 李埝乡
  '320722205': { centre: [118.612, 34.522], area: 62 },       // 石湖乡
  '320722207': { centre: [118.845, 34.556], area: 58 },       // 张湾乡
  '320722401': { centre: [118.804, 34.522], area: 30 },       // 江苏东海经济开发区 (east of the seat)
  '320722402': { centre: [118.738, 34.548], area: 13 },       // 江苏东海高新技术开发区 (north-west of the seat)
};

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(SOURCES, file), 'utf8')) as T;
}

export function shortVillageName(name: string): string {
  return name.replace(/居民委员会$/, '').replace(/村民委员会$/, '村').replace(/村委会$/, '村');
}

function townshipSubtype(type: string): Township['subtype'] {
  if (type === '街道' || type === '镇' || type === '乡') return type;
  if (type.startsWith('类似乡级单位')) return '开发区';
  throw new Error(`unknown township type ${type}`);
}

function villageSubtype(v: VillageSource): Village['subtype'] {
  if (v.type === '居委会(社区)') return '社区';
  if (v.type === '村委会') return '村';
  if (v.type === '类似居委会' && v.name.includes('林场')) return '林场';
  if (v.type === '类似居委会') return '社区';
  throw new Error(`unknown village type ${v.type}`);
}

let cached: Sources | undefined;

export function loadSources(): Sources {
  if (cached) return cached;
  const boundary = readJson<{ features: { geometry: { type: string; coordinates: number[][][] } }[] }>('donghai-boundary.wgs84.geojson');
  const geom = boundary.features[0].geometry;
  if (geom.type !== 'Polygon' || geom.coordinates.length !== 1) throw new Error('county outline must be one Polygon without holes');
  const outline = geom.coordinates[0].map((p) => [p[0], p[1]] as XY);
  const open = outline.slice(0, outline[0][0] === outline[outline.length - 1][0] && outline[0][1] === outline[outline.length - 1][1] ? -1 : undefined);
  const places = readJson<{ features: { properties: { name: string; inDonghai: boolean }; geometry: { coordinates: number[] } }[] }>('lianyungang-places.geojson');
  const niushan = places.features.find((f) => f.properties.name === 'Niushan' && f.properties.inDonghai);
  if (!niushan) throw new Error('county seat 牛山 (Niushan) missing from lianyungang-places.geojson');
  const seat: XY = [niushan.geometry.coordinates[0], niushan.geometry.coordinates[1]];

  const div = readJson<{ county: { code: string; name: string }; townships: TownshipSource[] }>('donghai-divisions.json');
  const townships: Township[] = [];
  const villages: Village[] = [];
  div.townships.forEach((t, ti) => {
    const profile = TOWNSHIP_PROFILE[t.code];
    if (!profile) throw new Error(`no centre/area profile for township ${t.code} ${t.name}`);
    const centre: XY = t.code === '320722001' ? seat : profile.centre;
    const ids: number[] = [];
    for (const v of t.villages) {
      const subtype = villageSubtype(v);
      ids.push(villages.length);
      villages.push({ code: v.code, fullName: v.name, name: shortVillageName(v.name), subtype, urban: subtype !== '村', township: ti });
    }
    townships.push({ code: t.code, name: t.name, subtype: townshipSubtype(t.type), centre, centreXY: project(centre[0], centre[1]), area: profile.area, villages: ids });
  });
  cached = {
    outline: [...open, open[0]],
    outlineXY: open.map(([lon, lat]) => project(lon, lat)),
    seat,
    countyCode: div.county.code,
    countyName: div.county.name,
    townships,
    villages,
  };
  return cached;
}
