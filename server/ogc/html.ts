// Simple server-rendered HTML pages of the OGC API for people (every value escaped).

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]!));
}

export interface Link { href: string; rel: string; type?: string; title?: string }

export function page(title: string, body: string, links: Link[] = []): string {
  const nav = links.filter((l) => l.rel !== 'self' && l.rel !== 'alternate')
    .map((l) => `<a href="${esc(l.href)}" rel="${esc(l.rel)}">${esc(l.title ?? l.rel)}</a>`).join(' · ');
  const json = links.find((l) => l.rel === 'alternate' && l.type?.includes('json'));
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font:14px/1.5 system-ui,"Microsoft YaHei",sans-serif;margin:1.5rem;max-width:72rem;color:#1d2733}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccd;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f7}nav{margin:.5rem 0 1rem}code{background:#f2f4f7;padding:0 .2rem}</style></head>
<body><header><a href="/ogc">东海县网格化治理 · OGC API – Features</a></header>
<h1>${esc(title)}</h1>
<nav>${nav}${json ? `${nav ? ' · ' : ''}<a href="${esc(json.href)}">JSON</a>` : ''}</nav>
${body}
</body></html>`;
}

export function keyValueTable(obj: Record<string, unknown>): string {
  const rows = Object.entries(obj).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'object' && v !== null ? JSON.stringify(v) : v)}</td></tr>`);
  return `<table>${rows.join('')}</table>`;
}

export function rowsTable(columns: string[], rows: Array<Array<{ text: unknown; href?: string }>>): string {
  const head = `<tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((cell) => `<td>${cell.href ? `<a href="${esc(cell.href)}">${esc(cell.text)}</a>` : esc(cell.text)}</td>`).join('')}</tr>`);
  return `<table>${head}${body.join('')}</table>`;
}
