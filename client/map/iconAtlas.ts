// Camera icons drawn once on a canvas at start (no image files, nothing fetched): one shape per
// kind — 雪亮工程 a rounded square, 村村通 a circle, 社会面 a diamond — each with a small camera
// glyph, in the kind's colour when online and grey with a slash when offline.
import type { CameraKind } from '../state/domain.js';
import { rgbaToCss, type Theme } from '../theme.js';

export const ICON_SIZE = 64;
const KINDS: CameraKind[] = ['xueliang', 'cuncuntong', 'public'];

export interface IconAtlas {
  /** PNG data URL (deck.gl loads it like any image URL; no network). */
  url: string;
  mapping: Record<string, { x: number; y: number; width: number; height: number; anchorY: number; mask: boolean }>;
}

export const iconName = (kind: string, online: boolean) => `${kind}-${online ? 'on' : 'off'}`;

function shape(ctx: CanvasRenderingContext2D, kind: CameraKind, cx: number, cy: number, r: number) {
  ctx.beginPath();
  if (kind === 'cuncuntong') {
    ctx.arc(cx, cy, r, 0, Math.PI * 2);
  } else if (kind === 'public') {
    ctx.moveTo(cx, cy - r * 1.15);
    ctx.lineTo(cx + r * 1.15, cy);
    ctx.lineTo(cx, cy + r * 1.15);
    ctx.lineTo(cx - r * 1.15, cy);
    ctx.closePath();
  } else {
    const s = r * 0.95;
    const k = r * 0.3;
    ctx.moveTo(cx - s + k, cy - s);
    ctx.arcTo(cx + s, cy - s, cx + s, cy + s, k);
    ctx.arcTo(cx + s, cy + s, cx - s, cy + s, k);
    ctx.arcTo(cx - s, cy + s, cx - s, cy - s, k);
    ctx.arcTo(cx - s, cy - s, cx + s, cy - s, k);
    ctx.closePath();
  }
}

function cameraGlyph(ctx: CanvasRenderingContext2D, cx: number, cy: number, s: number, color: string) {
  ctx.fillStyle = color;
  // Body and lens housing of a small video camera.
  ctx.fillRect(cx - s * 0.62, cy - s * 0.32, s * 0.86, s * 0.64);
  ctx.beginPath();
  ctx.moveTo(cx + s * 0.24, cy - s * 0.12);
  ctx.lineTo(cx + s * 0.62, cy - s * 0.34);
  ctx.lineTo(cx + s * 0.62, cy + s * 0.34);
  ctx.lineTo(cx + s * 0.24, cy + s * 0.12);
  ctx.closePath();
  ctx.fill();
}

const cache = new Map<string, IconAtlas>();

export function cameraIconAtlas(theme: Theme): IconAtlas | null {
  const hit = cache.get(theme.name);
  if (hit) return hit;
  if (typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  canvas.width = ICON_SIZE * KINDS.length;
  canvas.height = ICON_SIZE * 2;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const mapping: IconAtlas['mapping'] = {};
  KINDS.forEach((kind, col) => {
    for (const online of [true, false]) {
      const x = col * ICON_SIZE;
      const y = online ? 0 : ICON_SIZE;
      const cx = x + ICON_SIZE / 2;
      const cy = y + ICON_SIZE / 2;
      const r = ICON_SIZE * 0.36;
      const fill = rgbaToCss(online ? theme.cameras[kind] : theme.cameras.offline);
      shape(ctx, kind, cx, cy, r + 3);
      ctx.fillStyle = theme.cameras.iconOutline;
      ctx.fill();
      shape(ctx, kind, cx, cy, r);
      ctx.fillStyle = fill;
      ctx.fill();
      cameraGlyph(ctx, cx - 1, cy, r * 1.05, theme.name === 'dark' ? '#06101f' : '#ffffff');
      if (!online) {
        ctx.strokeStyle = theme.name === 'dark' ? '#ff5a5f' : '#c0262d';
        ctx.lineWidth = 5;
        ctx.beginPath();
        ctx.moveTo(cx - r * 0.8, cy + r * 0.8);
        ctx.lineTo(cx + r * 0.8, cy - r * 0.8);
        ctx.stroke();
      }
      mapping[iconName(kind, online)] = { x, y, width: ICON_SIZE, height: ICON_SIZE, anchorY: ICON_SIZE / 2, mask: false };
    }
  });
  const atlas = { url: canvas.toDataURL('image/png'), mapping };
  cache.set(theme.name, atlas);
  return atlas;
}

/**
 * Incident markers: a diamond in the colour of the state group (so they never read as a worker's
 * round marker), with a red outer ring when overdue.
 */
export const INCIDENT_ICON_SIZE = 48;
const STATUS_GROUP_KEYS = ['new', 'handling', 'returned', 'done', 'closed', 'void'] as const;
export const incidentIconName = (group: string, overdue: boolean) => `${group}${overdue ? '-overdue' : ''}`;

export function incidentIconAtlas(theme: Theme): IconAtlas | null {
  const key = `incident-${theme.name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (typeof document === 'undefined') return null;
  const S = INCIDENT_ICON_SIZE;
  const canvas = document.createElement('canvas');
  canvas.width = S * STATUS_GROUP_KEYS.length;
  canvas.height = S * 2;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const mapping: IconAtlas['mapping'] = {};
  const diamond = (cx: number, cy: number, r: number) => {
    ctx.beginPath();
    ctx.moveTo(cx, cy - r);
    ctx.lineTo(cx + r, cy);
    ctx.lineTo(cx, cy + r);
    ctx.lineTo(cx - r, cy);
    ctx.closePath();
  };
  STATUS_GROUP_KEYS.forEach((g, col) => {
    for (const overdue of [false, true]) {
      const x = col * S;
      const y = overdue ? S : 0;
      const cx = x + S / 2;
      const cy = y + S / 2;
      if (overdue) {
        diamond(cx, cy, S * 0.47);
        ctx.fillStyle = rgbaToCss(theme.incidents.overdue);
        ctx.fill();
      }
      diamond(cx, cy, S * (overdue ? 0.34 : 0.4));
      ctx.fillStyle = rgbaToCss(theme.incidents.pointOutline);
      ctx.fill();
      diamond(cx, cy, S * (overdue ? 0.26 : 0.31));
      ctx.fillStyle = rgbaToCss(theme.incidents.status[g]);
      ctx.fill();
      mapping[incidentIconName(g, overdue)] = { x, y, width: S, height: S, anchorY: S / 2, mask: false };
    }
  });
  const atlas = { url: canvas.toDataURL('image/png'), mapping };
  cache.set(key, atlas);
  return atlas;
}
