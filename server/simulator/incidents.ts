// Incidents the simulated county produces while it runs: grid workers report what they find on
// patrol (small things settled on the spot, with a photo), and citizens call the 12345 hotline.
import type { IncidentService } from '../routes/incidentWorkflow.js';
import { Rng } from '../../data/generate/random.js';
import type { Walker } from './walker.js';

const FOUND_ON_PATROL: Array<[category: string, text: string, onSiteShare: number]> = [
  ['环境卫生', '巡查发现路边垃圾堆积，需清运', 0.5],
  ['占道经营', '流动摊贩占用人行道经营', 0.6],
  ['乱堆乱放', '楼道内杂物堆放，存在消防隐患', 0.5],
  ['道路破损', '路面出现坑洼，影响通行', 0],
  ['市政设施损坏', '路灯不亮，夜间照明不足', 0],
  ['安全隐患', '电动车飞线充电', 0.4],
  ['违法广告', '墙面张贴小广告', 0.7],
  ['矛盾纠纷', '邻里因停车位发生争执，已现场劝解', 0.5],
];
const HOTLINE: Array<[category: string, text: string]> = [
  ['噪音扰民', '市民来电反映夜间施工噪音扰民'],
  ['供水供电', '市民来电反映小区停水'],
  ['民生诉求', '市民来电咨询低保办理'],
  ['道路破损', '市民来电反映道路塌陷'],
  ['环境卫生', '市民来电反映垃圾清运不及时'],
];

export interface IncidentSimulation {
  tick(walkers: Walker[], now: number): void;
  /** Resolves when every report made so far has been answered. */
  settle(): Promise<void>;
  stats: { reported: number; failed: number };
}

/** About `perHour` reports an hour across the county, by the workers on patrol and by phone. */
export function incidentSimulation(service: IncidentService, seed: number, perHour = 60): IncidentSimulation {
  const rng = Rng.derive(seed, 'live-incidents');
  const stats = { reported: 0, failed: 0 };
  let last = Date.now();
  const pending = new Set<Promise<void>>();
  const report = (p: Promise<unknown>) => {
    const done = p.then(() => { stats.reported++; }, () => { stats.failed++; }).finally(() => { pending.delete(done); });
    pending.add(done);
  };
  return {
    stats,
    async settle() { await Promise.all([...pending]); },
    tick(walkers, now) {
      const dt = (now - last) / 3_600_000;
      last = now;
      let due = rng.exp(1) < perHour * dt ? 1 : 0;
      while (due-- > 0 && walkers.length) {
        const w = rng.pick(walkers);
        if (rng.chance(0.65)) {
          const [category, description, onSite] = rng.pick(FOUND_ON_PATROL);
          const resolvedOnSite = rng.chance(onSite);
          report(service.report({ kind: 'device', workerId: w.spec.workerId, name: `网格员设备 ${w.spec.deviceId}`, gridId: null }, {
            category, source: 'grid_worker', description, lon: w.lon, lat: w.lat, reporterWorkerId: w.spec.workerId,
            resolvedOnSite, photoUrl: resolvedOnSite ? `photo://${w.spec.deviceId}/${now}.jpg` : null,
          }));
        } else {
          const [category, description] = rng.pick(HOTLINE);
          report(service.report({ kind: 'system', name: '12345热线' }, {
            category, source: 'hotline', description, lon: w.lon + rng.normal(0, 0.002), lat: w.lat + rng.normal(0, 0.002),
          }));
        }
      }
    },
  };
}
