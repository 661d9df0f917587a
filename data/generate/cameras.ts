// Video points of the three networks the county links into the command centre:
//  - 雪亮工程 (xueliang): along main roads, at road junctions and around township centres;
//  - 村村通 (cuncuntong): at village committees, village entrances and where village roads meet roads;
//  - 社会面 (public): shops, residential compounds and markets, dense in the county seat and town centres.
// Codes follow the 20-digit GB/T 28181 device-ID layout (admin code + 00 + type 132 + serial).
import { Rng } from './random.js';
import { bearingOf, dist, pointAlong, polylineLength, type XY } from './geo.js';
import { junctions, type Road } from './roads.js';
import type { Layout } from './layout.js';

export type CameraKind = 'xueliang' | 'cuncuntong' | 'public';
export interface Camera {
  code: string; name: string; kind: CameraKind; p: XY; heading: number; fov: number; rangeM: number;
  online: boolean; streamUrl: string | null; installedAt: string;
}

const TOWN_SPOTS = ['人民政府门口', '派出所', '中心小学', '初级中学', '卫生院', '农贸市场', '客运站', '便民服务中心', '文化广场', '敬老院', '供电所', '汽车站路口', '中心路与建设路交叉口', '商业街'];
const VILLAGE_SPOTS = ['村部', '村口', '文化广场', '小学门口', '卫生室', '健身广场', '党群服务中心', '桥头', '水塘', '打谷场'];
const SHOPS = ['超市', '药店', '饭店', '五金店', '手机店', '加油站', '宾馆', '银行网点', '幼儿园门口', '菜市场', '快递驿站', '水晶店'];
const COMPOUNDS = ['晶都花园', '阳光新城', '水晶城', '世纪花园', '金色家园', '锦绣华庭', '和平小区', '幸福里', '御景湾', '滨河苑', '书香门第', '东方明珠', '翡翠城', '西湖春天', '江南名府', '康乐小区'];
const DIRS = ['东门', '南门', '西门', '北门'];

/** Degrees in [0, 360) with one decimal (the column is a float4 checked < 360). */
export function normHeading(h: number): number {
  const r = Math.round((((h % 360) + 360) % 360) * 10) / 10;
  return r >= 360 ? 0 : r;
}

export function generateCameras(L: Layout, seed: number): Camera[] {
  const rng = Rng.derive(seed, 'cameras');
  const { src, cells, partition, outline } = L;
  const roads = L.roads;
  const out: Camera[] = [];
  const serial = new Map<number, number>();
  const where = (p: XY) => {
    const cell = cells.delaunay.find(p[0], p[1]);
    return { township: partition.township[cell], village: partition.village[cell] };
  };
  const townName = (p: XY) => src.townships[where(p).township].name;
  const shortTown = (p: XY) => townName(p).replace(/^江苏东海/, '');
  const add = (kind: CameraKind, p: XY, name: string, heading: number, fov: number, rangeM: number) => {
    if (!outline.contains(p) || L.inWater(p)) return;
    const t = where(p).township;
    const n = (serial.get(t) ?? 0) + 1;
    serial.set(t, n);
    // 32072201..21 + 00 (industry) + 132 (network camera) + 0 + six-digit serial = 20 digits.
    const code = `320722${String(t + 1).padStart(2, '0')}00132${kind === 'xueliang' ? 0 : kind === 'cuncuntong' ? 1 : 2}${String(n).padStart(6, '0')}`;
    const [y0, y1] = kind === 'xueliang' ? [2016, 2023] : kind === 'cuncuntong' ? [2018, 2024] : [2017, 2025];
    const year = rng.int(y0, y1);
    const installedAt = `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    const seg = kind === 'xueliang' ? 'xl' : kind === 'cuncuntong' ? 'cc' : 'pub';
    out.push({
      code, name, kind, p, heading: normHeading(heading), fov, rangeM: Math.round(rangeM),
      online: rng.chance(0.93), streamUrl: rng.chance(0.5) ? `rtsp://video.donghai.local/${seg}/${code}` : null, installedAt,
    });
  };
  const side = (p: XY, angle: number, d: number): XY => [p[0] - Math.sin(angle) * d, p[1] + Math.cos(angle) * d];
  const bulletOrDome = (): [number, number] => (rng.chance(0.15) ? [360, rng.range(40, 80)] : [Math.round(rng.range(35, 95)), rng.range(60, 150)]);

  // 1. Along main roads and county roads (雪亮): every 0.8–2 km depending on class.
  const spacing: Record<string, number> = { expressway: 2200, national: 1000, provincial: 1100, county: 1600, street: 320 };
  const isMain = (r: Road) => r.class !== 'village';
  roads.forEach((r) => {
    const step = spacing[r.class];
    if (!step) return;
    const len = polylineLength(r.line);
    for (let s = rng.range(0.2, 0.8) * step; s < len; s += step * rng.range(0.75, 1.25)) {
      const { p, angle } = pointAlong(r.line, s);
      const forward = rng.chance(0.5);
      const q = side(p, angle, forward ? -7 : 7);
      const km = Math.floor(s / 1000);
      const m = Math.round((s % 1000) / 100) * 100;
      const name = r.class === 'street' ? `${shortTown(q)}${r.name}${rng.int(1, 299)}号` : `${r.name}${shortTown(q)}段K${km}+${String(m).padStart(3, '0')}`;
      const [fov, range] = r.class === 'expressway' ? [Math.round(rng.range(30, 55)), rng.range(150, 250)] : bulletOrDome();
      add('xueliang', q, name, bearingOf(angle) + (forward ? 0 : 180), fov, range);
    }
  });

  // 2. Junctions of main roads: two to four cameras facing the approaches.
  const mainRoads = roads.filter(isMain);
  for (const j of junctions(mainRoads)) {
    const a = mainRoads[j.a];
    const b = mainRoads[j.b];
    const n = a.class === 'street' && b.class === 'street' ? rng.int(2, 4) : rng.int(1, 3);
    const base = rng.range(0, 360);
    for (let k = 0; k < n; k++) {
      const h = base + (k * 360) / n;
      const p: XY = [j.p[0] + rng.normal(0, 8), j.p[1] + rng.normal(0, 8)];
      const name = `${shortTown(p)}${a.name}与${b.name}交叉口`;
      add('xueliang', p, name, h, k === 0 && rng.chance(0.3) ? 360 : Math.round(rng.range(40, 90)), rng.range(60, 120));
    }
  }

  // 3. Township centres: public buildings and the market (雪亮), plus shops (社会面).
  for (const t of src.townships) {
    const short = t.name.replace(/^江苏东海/, '');
    const spots = rng.shuffle([...TOWN_SPOTS]).slice(0, t.code === '320722001' ? TOWN_SPOTS.length : rng.int(7, 11));
    for (const s of spots) {
      const p: XY = [t.centreXY[0] + rng.normal(0, 350), t.centreXY[1] + rng.normal(0, 350)];
      add('xueliang', p, `${short}${s}`, rng.range(0, 360), ...bulletOrDome());
    }
    const shops = t.code === '320722001' ? 0 : t.subtype === '街道' ? 40 : t.subtype === '开发区' ? 25 : rng.int(14, 22);
    for (let k = 0; k < shops; k++) {
      const p: XY = [t.centreXY[0] + rng.normal(0, 500), t.centreXY[1] + rng.normal(0, 500)];
      add('public', p, `${short}${rng.pick(SHOPS)}`, rng.range(0, 360), Math.round(rng.range(60, 110)), rng.range(15, 45));
    }
  }

  // 4. The county seat: residential compounds and shops (社会面), densest at the centre.
  const seat = src.townships[0].centreXY;
  for (let k = 0; k < 720; k++) {
    const p: XY = [seat[0] + rng.normal(0, 1500), seat[1] + rng.normal(0, 1300)];
    const w = where(p);
    const vname = src.villages[w.village].name;
    const name = rng.chance(0.45) ? `${vname}${rng.pick(COMPOUNDS)}小区${rng.pick(DIRS)}` : `${src.townships[w.township].name.replace(/^江苏东海/, '')}${rng.pick(SHOPS)}`;
    add('public', p, name, rng.range(0, 360), rng.chance(0.2) ? 360 : Math.round(rng.range(60, 110)), rng.range(15, 50));
  }

  // 5. Villages (村村通): the committee, entrances and where the village road meets the road.
  src.villages.forEach((v, vi) => {
    if (v.subtype === '社区') return;
    const c = L.villageCentres[vi];
    const n = rng.int(2, 4);
    const spots = rng.shuffle([...VILLAGE_SPOTS]).slice(0, n);
    spots.forEach((s, k) => {
      const p: XY = k === 0 ? [c[0] + rng.normal(0, 30), c[1] + rng.normal(0, 30)] : [c[0] + rng.normal(0, 250), c[1] + rng.normal(0, 250)];
      add('cuncuntong', p, `${v.name}${s}`, rng.range(0, 360), rng.chance(0.25) ? 360 : Math.round(rng.range(50, 100)), rng.range(40, 80));
    });
  });
  roads.forEach((r) => {
    if (r.class !== 'village') return;
    const end = r.line[r.line.length - 1];
    const prev = r.line[r.line.length - 2];
    const angle = Math.atan2(end[1] - prev[1], end[0] - prev[0]);
    // Looking back up the village road from its junction with the main road.
    const p: XY = [end[0] - Math.cos(angle) * 15, end[1] - Math.sin(angle) * 15];
    add('cuncuntong', p, `${r.name.replace(/通村路$/, '')}路口`, bearingOf(angle) + 180, Math.round(rng.range(50, 90)), rng.range(50, 90));
    if (dist(r.line[0], end) > 1500 && rng.chance(0.5)) {
      const { p: mid, angle: a2 } = pointAlong(r.line, polylineLength(r.line) / 2);
      add('cuncuntong', mid, `${r.name}中段`, bearingOf(a2) + (rng.chance(0.5) ? 0 : 180), Math.round(rng.range(40, 80)), rng.range(40, 80));
    }
  });
  return out;
}
