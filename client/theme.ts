// Every colour of the client lives here: the basemap style, the deck.gl layers and the CSS
// (through CSS custom properties set by applyTheme). `lightTheme` is the operator view at `/`,
// `darkTheme` the wall screen at `/screen`; nothing else holds colours.

/** [r, g, b, a] with 0–255 channels, the form deck.gl accessors take. */
export type RGBA = [number, number, number, number];

export interface Theme {
  name: 'light' | 'dark';
  /** Basemap (MapLibre), CSS colour strings. */
  map: {
    background: string;
    land: string;
    countyOutline: string;
    countyCasing: string;
    water: string;
    waterLine: string;
    roadCasing: string;
    roadMajor: string;
    roadMinor: string;
    roadExpressway: string;
    roadLabel: string;
    roadLabelHalo: string;
  };
  /** Data layers (deck.gl). */
  grids: {
    urbanFill: RGBA;
    ruralFill: RGBA;
    urbanLine: RGBA;
    ruralLine: RGBA;
    highlight: RGBA;
  };
  regions: {
    villageLine: RGBA;
    townshipLine: RGBA;
    townshipCasing: RGBA;
    townshipText: RGBA;
    villageText: RGBA;
    textOutline: RGBA;
  };
  /** Grid fills coloured by an indicator: a sequential ramp (low → high), and coverage yes / no. */
  indicator: {
    ramp: RGBA[];
    zero: RGBA;
    covered: RGBA;
    uncovered: RGBA;
    line: RGBA;
    /** Fill alpha multiplier while the incident heatmap is shown over the grids. */
    underHeatmap: number;
    labelText: RGBA;
  };
  /** Incident heatmap colour range (low → high) and incident points by state group. */
  incidents: {
    heat: Array<[number, number, number]>;
    status: { new: RGBA; handling: RGBA; returned: RGBA; done: RGBA; closed: RGBA; void: RGBA };
    overdue: RGBA;
    pointOutline: RGBA;
  };
  cameras: {
    xueliang: RGBA;
    cuncuntong: RGBA;
    public: RGBA;
    offline: RGBA;
    cluster: RGBA;
    clusterRing: RGBA;
    clusterText: RGBA;
    cone: RGBA;
    coneLine: RGBA;
    iconOutline: string;
  };
  workers: { patrolling: RGBA; idle: RGBA; outside: RGBA; offline: RGBA; outline: RGBA };
  /** Patrol tracks, one colour per worker in turn. */
  tracks: RGBA[];
  /** The highlighted item (cycling highlight on the wall, selection on the operator view). */
  focus: RGBA;
  /** Chrome around the map (header, legend, tooltip). */
  ui: {
    headerBg: string;
    headerText: string;
    headerMuted: string;
    accent: string;
    panelBg: string;
    panelText: string;
    panelMuted: string;
    panelBorder: string;
    shadow: string;
    good: string;
    warn: string;
    bad: string;
  };
}

export const lightTheme: Theme = {
  name: 'light',
  map: {
    background: '#dde3ea',
    land: '#f7f6f2',
    countyOutline: '#2f3e52',
    countyCasing: 'rgba(255,255,255,0.85)',
    water: '#a9cbe8',
    waterLine: '#7fb0db',
    roadCasing: '#c9ccd1',
    roadMajor: '#fdfdfd',
    roadMinor: '#ffffff',
    roadExpressway: '#f6c978',
    roadLabel: '#55606e',
    roadLabelHalo: '#ffffff',
  },
  grids: {
    // Urban: warm amber; rural: green. Distinguishable for the common colour-vision deficiencies
    // as well (they differ in lightness and in the blue–yellow axis).
    urbanFill: [240, 150, 40, 120],
    ruralFill: [76, 160, 110, 82],
    urbanLine: [176, 96, 16, 230],
    ruralLine: [52, 118, 80, 200],
    highlight: [24, 104, 219, 150],
  },
  regions: {
    villageLine: [84, 96, 112, 150],
    townshipLine: [47, 62, 82, 235],
    townshipCasing: [255, 255, 255, 200],
    townshipText: [26, 35, 48, 255],
    villageText: [70, 78, 90, 255],
    textOutline: [255, 255, 255, 235],
  },
  ui: {
    headerBg: '#16202e',
    headerText: '#f3f6fa',
    headerMuted: '#9fb0c4',
    accent: '#1868db',
    panelBg: 'rgba(255,255,255,0.96)',
    panelText: '#1a2330',
    panelMuted: '#5b6676',
    panelBorder: '#d5dbe3',
    shadow: '0 2px 10px rgba(16,24,40,0.18)',
    good: '#1a7f4b',
    warn: '#b35c00',
    bad: '#c0262d',
  },
  indicator: {
    // Sequential yellow → orange → red (ColorBrewer YlOrRd), readable on the light land colour.
    ramp: [
      [255, 245, 200, 150],
      [254, 217, 118, 165],
      [253, 160, 64, 175],
      [240, 92, 42, 185],
      [200, 30, 40, 195],
      [128, 0, 38, 205],
    ],
    zero: [236, 238, 240, 90],
    covered: [74, 170, 110, 150],
    uncovered: [235, 96, 80, 165],
    line: [96, 104, 116, 170],
    underHeatmap: 0.35,
    labelText: [40, 48, 60, 255],
  },
  incidents: {
    // Red-purple (ColorBrewer RdPu): visible on the light land from its low end, and apart from the
    // yellow-orange-red of the grid indicator beneath it.
    heat: [
      [250, 159, 181],
      [247, 104, 161],
      [221, 52, 151],
      [174, 1, 126],
      [122, 1, 119],
      [73, 0, 106],
    ],
    status: {
      new: [32, 110, 220, 255],
      handling: [238, 140, 20, 255],
      returned: [150, 70, 200, 255],
      done: [40, 160, 100, 255],
      closed: [120, 128, 140, 230],
      void: [180, 184, 190, 200],
    },
    overdue: [210, 20, 30, 255],
    pointOutline: [255, 255, 255, 230],
  },
  cameras: {
    xueliang: [25, 95, 200, 255],
    cuncuntong: [0, 140, 130, 255],
    public: [110, 80, 190, 255],
    offline: [150, 150, 156, 255],
    cluster: [255, 255, 255, 225],
    clusterRing: [30, 80, 160, 230],
    clusterText: [30, 70, 140, 255],
    cone: [25, 95, 200, 40],
    coneLine: [25, 95, 200, 120],
    iconOutline: '#ffffff',
  },
  workers: {
    patrolling: [22, 160, 80, 255],
    idle: [232, 160, 20, 255],
    outside: [214, 40, 120, 255],
    offline: [140, 146, 156, 220],
    outline: [255, 255, 255, 240],
  },
  tracks: [
    [31, 119, 180, 220],
    [214, 39, 40, 220],
    [44, 160, 44, 220],
    [148, 103, 189, 220],
    [255, 127, 14, 220],
    [23, 190, 207, 220],
    [227, 119, 194, 220],
    [140, 86, 75, 220],
  ],
  focus: [0, 120, 255, 255],
};

/**
 * The wall screen: deep navy, cyan accents, light text. Data colours stay saturated and bright
 * enough to read from across a room; the base map recedes.
 */
export const darkTheme: Theme = {
  name: 'dark',
  map: {
    background: '#050b16',
    land: '#0b1a2e',
    countyOutline: '#3fb6ff',
    countyCasing: 'rgba(63,182,255,0.18)',
    water: '#0f3a66',
    waterLine: '#1f5f99',
    roadCasing: '#0b1a2e',
    roadMajor: '#2a4766',
    roadMinor: '#1c3250',
    roadExpressway: '#3c5f85',
    roadLabel: '#7f9bbb',
    roadLabelHalo: '#0b1a2e',
  },
  grids: {
    urbanFill: [255, 170, 60, 70],
    ruralFill: [60, 200, 170, 45],
    urbanLine: [255, 190, 90, 170],
    ruralLine: [80, 200, 180, 120],
    highlight: [80, 220, 255, 150],
  },
  regions: {
    villageLine: [110, 150, 200, 110],
    townshipLine: [120, 210, 255, 235],
    townshipCasing: [5, 11, 22, 200],
    townshipText: [225, 240, 255, 255],
    villageText: [170, 195, 225, 255],
    textOutline: [5, 11, 22, 235],
  },
  ui: {
    headerBg: 'rgba(6,16,32,0.92)',
    headerText: '#e6f3ff',
    headerMuted: '#8fb3d9',
    accent: '#35c8ff',
    panelBg: 'rgba(8,22,44,0.86)',
    panelText: '#e3eefb',
    panelMuted: '#8aa6c6',
    panelBorder: 'rgba(53,200,255,0.28)',
    shadow: '0 0 18px rgba(0,140,255,0.18)',
    good: '#3ddc97',
    warn: '#ffb547',
    bad: '#ff5a5f',
  },
  indicator: {
    // Sequential dark teal → cyan → yellow → orange → red: the low end fades into the land.
    ramp: [
      [20, 70, 110, 120],
      [20, 120, 150, 150],
      [60, 170, 160, 170],
      [230, 200, 70, 185],
      [250, 130, 50, 200],
      [240, 60, 60, 215],
    ],
    zero: [20, 40, 70, 70],
    covered: [40, 170, 120, 140],
    uncovered: [200, 60, 70, 150],
    line: [90, 140, 190, 130],
    underHeatmap: 0.3,
    labelText: [215, 230, 250, 255],
  },
  incidents: {
    heat: [
      [30, 140, 210],
      [40, 200, 210],
      [120, 230, 140],
      [255, 225, 80],
      [255, 140, 40],
      [255, 50, 70],
    ],
    status: {
      new: [70, 170, 255, 255],
      handling: [255, 170, 40, 255],
      returned: [200, 120, 255, 255],
      done: [60, 220, 150, 255],
      closed: [140, 160, 185, 230],
      void: [100, 115, 135, 200],
    },
    overdue: [255, 60, 70, 255],
    pointOutline: [5, 11, 22, 230],
  },
  cameras: {
    xueliang: [80, 170, 255, 255],
    cuncuntong: [60, 220, 200, 255],
    public: [190, 150, 255, 255],
    offline: [110, 120, 135, 255],
    cluster: [8, 30, 62, 200],
    clusterRing: [90, 190, 255, 220],
    clusterText: [170, 225, 255, 255],
    cone: [80, 170, 255, 45],
    coneLine: [80, 170, 255, 130],
    iconOutline: '#050b16',
  },
  workers: {
    patrolling: [60, 230, 130, 255],
    idle: [255, 190, 50, 255],
    outside: [255, 70, 160, 255],
    offline: [110, 125, 145, 220],
    outline: [5, 11, 22, 230],
  },
  tracks: [
    [80, 200, 255, 230],
    [255, 120, 120, 230],
    [120, 240, 140, 230],
    [200, 150, 255, 230],
    [255, 190, 80, 230],
    [80, 240, 230, 230],
    [255, 140, 220, 230],
    [220, 200, 150, 230],
  ],
  focus: [80, 230, 255, 255],
};

export const themes = { light: lightTheme, dark: darkTheme } as const;

/** Colour of an indicator value for the grid fill. */
export function indicatorColor(theme: Theme, indicator: string, value: number | undefined, max: number): RGBA {
  const ind = theme.indicator;
  if (indicator === 'coverage') return value && value > 0 ? ind.covered : ind.uncovered;
  if (!value || value <= 0 || max <= 0) return ind.zero;
  // Square-root scale: counts are skewed (a few busy urban grids), this keeps the rest apart.
  const t = Math.min(1, Math.sqrt(value / max));
  const x = t * (ind.ramp.length - 1);
  const i = Math.min(ind.ramp.length - 2, Math.floor(x));
  const f = x - i;
  const a = ind.ramp[i];
  const b = ind.ramp[i + 1];
  return [0, 1, 2, 3].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as RGBA;
}

/** Fonts able to draw Chinese, in order: Linux (Debian fonts-wqy-microhei, fonts-noto-cjk), Windows, macOS. */
export const CJK_FONT_STACK = [
  'WenQuanYi Micro Hei',
  'Noto Sans CJK SC',
  'Source Han Sans SC',
  'Microsoft YaHei',
  'PingFang SC',
  'Hiragino Sans GB',
  'sans-serif',
];

/** The same stack as a CSS `font-family` value (names quoted). */
export const CJK_FONT_FAMILY_CSS = CJK_FONT_STACK.map((f) => (f === 'sans-serif' ? f : `'${f}'`)).join(', ');

export function rgbaToCss([r, g, b, a]: RGBA): string {
  return `rgba(${r},${g},${b},${+(a / 255).toFixed(3)})`;
}

/** Publishes the UI colours as CSS custom properties on <html> (styles.css reads only these). */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  const vars: Record<string, string> = {
    '--header-bg': theme.ui.headerBg,
    '--header-text': theme.ui.headerText,
    '--header-muted': theme.ui.headerMuted,
    '--accent': theme.ui.accent,
    '--panel-bg': theme.ui.panelBg,
    '--panel-text': theme.ui.panelText,
    '--panel-muted': theme.ui.panelMuted,
    '--panel-border': theme.ui.panelBorder,
    '--shadow': theme.ui.shadow,
    '--map-bg': theme.map.background,
    '--urban-fill': rgbaToCss(theme.grids.urbanFill),
    '--rural-fill': rgbaToCss(theme.grids.ruralFill),
    '--urban-line': rgbaToCss(theme.grids.urbanLine),
    '--rural-line': rgbaToCss(theme.grids.ruralLine),
    '--township-line': rgbaToCss(theme.regions.townshipLine),
    '--village-line': rgbaToCss(theme.regions.villageLine),
    '--font': CJK_FONT_FAMILY_CSS,
    '--good': theme.ui.good,
    '--warn': theme.ui.warn,
    '--bad': theme.ui.bad,
    '--map-land': theme.map.land,
    '--heat-ramp': `linear-gradient(90deg, ${theme.incidents.heat.map(([r, g, b]) => `rgb(${r},${g},${b})`).join(', ')})`,
    '--indicator-ramp': `linear-gradient(90deg, ${theme.indicator.ramp.map((c) => rgbaToCss([c[0], c[1], c[2], 255])).join(', ')})`,
    '--indicator-zero': rgbaToCss(theme.indicator.zero),
    '--covered': rgbaToCss(theme.indicator.covered),
    '--uncovered': rgbaToCss(theme.indicator.uncovered),
    '--focus': rgbaToCss(theme.focus),
  };
  for (const [k, c] of Object.entries(theme.incidents.status)) vars[`--status-${k}`] = rgbaToCss(c);
  vars['--status-overdue'] = rgbaToCss(theme.incidents.overdue);
  for (const k of ['xueliang', 'cuncuntong', 'public', 'offline', 'cluster'] as const) vars[`--camera-${k}`] = rgbaToCss(theme.cameras[k]);
  vars['--camera-cluster-ring'] = rgbaToCss(theme.cameras.clusterRing);
  vars['--camera-cluster-text'] = rgbaToCss(theme.cameras.clusterText);
  for (const k of ['patrolling', 'idle', 'outside', 'offline'] as const) vars[`--worker-${k}`] = rgbaToCss(theme.workers[k]);
  vars['--track'] = rgbaToCss(theme.tracks[0]);
  for (const [k, v] of Object.entries(vars)) root.style.setProperty(k, v);
  root.dataset.theme = theme.name;
  root.style.colorScheme = theme.name;
}
