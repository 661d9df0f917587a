// Departments linked to the command centre (66, as in the county's published figures) and the 2,911
// grid workers: "一格一专多员" in town (one full-time worker per urban grid plus others) and
// "一格一兼多员" in the countryside (one part-time worker per rural grid plus others), one 网格长
// per village. Pure: returns rows, index.ts inserts them.
import { apportion, Rng } from './random.js';

export type DepartmentKind = 'party' | 'government' | 'public-service' | 'utility' | 'township';
export interface Department { code: string; name: string; kind: DepartmentKind; phone: string }

const DEPARTMENTS: [string, DepartmentKind][] = [
  ['县公安局', 'government'], ['县城市管理局', 'government'], ['县住房和城乡建设局', 'government'], ['县生态环境局', 'government'],
  ['县市场监督管理局', 'government'], ['县交通运输局', 'government'], ['县水利局', 'government'], ['县教育局', 'government'],
  ['县卫生健康委员会', 'government'], ['县民政局', 'government'], ['县应急管理局', 'government'], ['县自然资源和规划局', 'government'],
  ['县农业农村局', 'government'], ['县人力资源和社会保障局', 'government'], ['县司法局', 'government'], ['县财政局', 'government'],
  ['县商务局', 'government'], ['县文化广电和旅游局', 'government'], ['县退役军人事务局', 'government'], ['县医疗保障局', 'government'],
  ['县信访局', 'government'], ['县发展和改革委员会', 'government'], ['县工业和信息化局', 'government'], ['县科学技术局', 'government'],
  ['县审计局', 'government'], ['县统计局', 'government'], ['县行政审批局', 'government'], ['县数据局', 'government'],
  ['县粮食和物资储备局', 'government'], ['县消防救援大队', 'government'], ['县公安局交通警察大队', 'government'], ['国家税务总局东海县税务局', 'government'],
  ['县气象局', 'government'], ['县人民防空办公室', 'government'], ['县地方金融监督管理局', 'government'],
  ['县委政法委员会', 'party'], ['县委宣传部', 'party'], ['县委社会工作部', 'party'], ['县委网络安全和信息化委员会办公室', 'party'],
  ['县纪委监委', 'party'], ['县总工会', 'party'], ['共青团东海县委员会', 'party'], ['县妇女联合会', 'party'],
  ['县残疾人联合会', 'party'], ['县红十字会', 'party'],
  ['县人民医院', 'public-service'], ['县中医院', 'public-service'], ['县疾病预防控制中心', 'public-service'], ['县12345政务服务便民热线中心', 'public-service'],
  ['县公路事业发展中心', 'public-service'], ['县环境卫生管理处', 'public-service'], ['县市政设施管理处', 'public-service'], ['县园林绿化管理处', 'public-service'],
  ['县水政监察大队', 'public-service'], ['县供销合作总社', 'public-service'],
  ['国网东海县供电公司', 'utility'], ['东海县自来水有限公司', 'utility'], ['东海港华燃气有限公司', 'utility'], ['中国移动东海分公司', 'utility'],
  ['中国电信东海分公司', 'utility'], ['中国联通东海分公司', 'utility'], ['东海县公共交通有限公司', 'utility'], ['江苏有线东海分公司', 'utility'],
  ['中国邮政东海县分公司', 'utility'],
  ['牛山街道综合行政执法局', 'township'], ['石榴街道综合行政执法局', 'township'],
];

export const DEPARTMENT_COUNT = 66;

export function makeDepartments(seed: number): Department[] {
  if (DEPARTMENTS.length !== DEPARTMENT_COUNT) throw new Error(`department list has ${DEPARTMENTS.length} entries`);
  const rng = Rng.derive(seed, 'departments');
  const used = new Set<string>();
  return DEPARTMENTS.map(([name, kind], i) => {
    // 东海 landlines: area code 0518, eight-digit local numbers starting with 87 / 80.
    let phone: string;
    do phone = `0518-${rng.pick(['87', '80'])}${String(rng.int(0, 999999)).padStart(6, '0')}`; while (used.has(phone));
    used.add(phone);
    return { code: `D${String(i + 1).padStart(2, '0')}`, name, kind, phone };
  });
}

// Surnames weighted roughly by frequency in northern Jiangsu (per mille, approximate).
const SURNAMES: [string, number][] = [
  ['王', 78], ['张', 66], ['李', 58], ['刘', 55], ['陈', 48], ['徐', 40], ['杨', 34], ['孙', 30], ['朱', 26], ['周', 24],
  ['吴', 22], ['赵', 21], ['马', 19], ['胡', 16], ['高', 16], ['郭', 14], ['许', 14], ['韩', 12], ['葛', 11], ['卢', 10],
  ['唐', 10], ['姜', 10], ['蔡', 9], ['丁', 9], ['魏', 9], ['沈', 8], ['宋', 8], ['彭', 8], ['曹', 8], ['程', 7],
  ['董', 7], ['袁', 7], ['邵', 7], ['仲', 6], ['潘', 6], ['汤', 6], ['谢', 6], ['孔', 5], ['戴', 5], ['闫', 5],
  ['武', 5], ['秦', 5], ['薛', 5], ['惠', 4], ['尹', 4], ['贾', 4], ['耿', 4], ['季', 4], ['颜', 3], ['倪', 3],
  ['范', 3], ['郑', 3], ['苗', 3], ['鲍', 3], ['尤', 3], ['卞', 2], ['阚', 2], ['相', 2], ['桑', 2], ['左', 2],
];
const MALE = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆海峰建国志龙文东亮林成春雷兵继红振庆永祥德洪宝山正义兆金忠';
const FEMALE = '芳娜敏静丽艳娟霞秀玲桂英红梅丹萍燕雪琳慧颖婷洁倩莉兰凤玉珍翠云花琴月晶彩春荣爱青巧';

export function chineseName(rng: Rng, surnamePicker: () => string): string {
  const chars = rng.chance(0.55) ? MALE : FEMALE;
  const a = chars[rng.int(0, chars.length - 1)];
  if (rng.chance(0.28)) return surnamePicker() + a;
  let b = chars[rng.int(0, chars.length - 1)];
  if (b === a && rng.chance(0.7)) b = chars[rng.int(0, chars.length - 1)];
  return surnamePicker() + a + b;
}

export function surnamePicker(rng: Rng): () => string {
  const weights = SURNAMES.map(([, w]) => w);
  return () => SURNAMES[rng.weighted(weights)][0];
}

const MOBILE_PREFIXES = ['130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189'];

export function mobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99999999)).padStart(8, '0');
}

export type Role = 'grid_leader' | 'full_time' | 'part_time';
export interface Worker { code: string; name: string; role: Role; grid: number; phone: string; deviceId: string; active: boolean; shiftStart: string; shiftEnd: string }

export const WORKER_COUNT = 2911;

export interface GridInfo { urban: boolean; village: number; number: number }

/** Workers for grids 0..n-1 (indices into `grids`), ordered by grid then role. */
export function makeWorkers(grids: GridInfo[], seed: number, total = WORKER_COUNT): Worker[] {
  const rng = Rng.derive(seed, 'workers');
  const surname = surnamePicker(rng);
  const villages = new Set(grids.map((g) => g.village));
  // Base: one worker per grid, plus one 网格长 per village (on its first grid).
  const base = grids.length + villages.size;
  if (base > total) throw new Error(`${total} workers cannot cover ${grids.length} grids and ${villages.size} villages`);
  const extra = apportion(grids.map((g) => (g.urban ? 3 : 1) * (0.8 + 0.4 * rng.next())), total - base, 0);
  const phones = new Set<string>();
  const devices = new Set<string>();
  const out: Worker[] = [];
  const add = (grid: number, role: Role) => {
    let phone: string;
    do phone = mobile(rng); while (phones.has(phone));
    phones.add(phone);
    // Traccar Client on the phones reports a numeric device identifier; ours are 6 digits.
    let deviceId: string;
    do deviceId = String(rng.int(100000, 999999)); while (devices.has(deviceId));
    devices.add(deviceId);
    const r = rng.next();
    const [shiftStart, shiftEnd] = r < 0.8 ? ['08:00', '17:30'] : r < 0.95 ? ['07:30', '16:30'] : ['15:30', '23:30'];
    out.push({ code: '', name: chineseName(rng, surname), role, grid, phone, deviceId, active: true, shiftStart, shiftEnd });
  };
  grids.forEach((g, i) => {
    if (g.number === 1) add(i, 'grid_leader');
    add(i, g.urban ? 'full_time' : 'part_time');
    for (let k = 0; k < extra[i]; k++) add(i, g.urban && rng.chance(0.3) ? 'full_time' : 'part_time');
  });
  out.forEach((w, i) => { w.code = `W${String(i + 1).padStart(6, '0')}`; });
  return out;
}
