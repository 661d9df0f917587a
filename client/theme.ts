// Every colour of the client lives here: the basemap style, the deck.gl layers and the CSS
// (through CSS custom properties set by applyTheme). A dark variant for the wall screen is meant
// to be a second `Theme` object beside `lightTheme`, nothing else should need to change.

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
  },
};

export const themes = { light: lightTheme } as const;

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
  };
  for (const [k, v] of Object.entries(vars)) root.style.setProperty(k, v);
  root.dataset.theme = theme.name;
}
