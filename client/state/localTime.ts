// Times shown in the county's time zone (GET /api/config → timezone, Asia/Shanghai), whatever the
// browser's own zone is: a wall screen's PC may well be set to UTC.
const formatters = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
}

const parts = (d: Date, timeZone: string) => {
  const p = fmt('en-GB', timeZone, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).formatToParts(d);
  const get = (t: string) => Number(p.find((x) => x.type === t)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour') % 24, mi: get('minute'), s: get('second') };
};

/** Start of the local day (in `timeZone`) containing `nowMs`, as epoch ms. */
export function localDayStart(nowMs: number, timeZone: string): number {
  const p = parts(new Date(nowMs), timeZone);
  return nowMs - ((p.h * 60 + p.mi) * 60 + p.s) * 1000 - (nowMs % 1000);
}

/** HH:mm (or HH:mm:ss) in the zone. */
export function formatClock(ms: number | string | Date, timeZone: string, seconds = false): string {
  const d = new Date(ms);
  const p = parts(d, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return seconds ? `${two(p.h)}:${two(p.mi)}:${two(p.s)}` : `${two(p.h)}:${two(p.mi)}`;
}

/** MM-DD HH:mm in the zone. */
export function formatDateTime(ms: number | string | Date, timeZone: string): string {
  const p = parts(new Date(ms), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(p.mo)}-${two(p.d)} ${two(p.h)}:${two(p.mi)}`;
}

/** The date line of the clock: 2026年11月27日 星期五 / Fri, 27 Nov 2026. */
export function formatDateLine(ms: number, timeZone: string, locale: string): string {
  return fmt(locale, timeZone, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }).format(new Date(ms));
}

/** "12 s ago"-style age, for the freshness indicator. */
export function ageParts(sinceMs: number | null, nowMs: number): { unit: 's' | 'min'; n: number } | null {
  if (sinceMs === null) return null;
  const s = Math.max(0, Math.round((nowMs - sinceMs) / 1000));
  return s < 120 ? { unit: 's', n: s } : { unit: 'min', n: Math.floor(s / 60) };
}
