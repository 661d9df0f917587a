// The operation dialogs (split, merge, move to another village, new grid, revert) and the history
// panel. Each operation is one server call, checked first with a dry run (ChangeDialog).
import { useEffect, useMemo, useState } from 'react';
import type { Feature, Geometry, LineString, Polygon, Position } from 'geojson';
import { useLocale } from '../i18n/index.js';
import type { ChangeResult, ConflictGrid, EditApi, GridDetail, HistoryVersion, Violation } from './api.js';
import { ChangeDialog } from './ChangeDialog.js';
import type { GridInfo } from './coverageModel.js';
import { areaM2, mergePolygons, splitPolygon, type PolygonCoords } from './topology.js';
import { formatArea, useEditorT } from './strings.js';

interface Common {
  api: EditApi;
  onClose: () => void;
  onCommitted: (r: ChangeResult) => void;
  onViolations: (v: Violation[]) => void;
  onLocate: (where: Geometry) => void;
  onConflictReload: (c: ConflictGrid[]) => void;
}

export interface VillageOption {
  code: string;
  name: string;
  township: string;
}

export function SplitDialog(p: Common & { grid: GridInfo; geometry: PolygonCoords; line: Position[]; onParts: (parts: [PolygonCoords, PolygonCoords] | null) => void }) {
  const t = useEditorT();
  const [locale] = useLocale();
  const parts = useMemo(() => splitPolygon(p.geometry, p.line), [p.geometry, p.line]);
  const [detail, setDetail] = useState<GridDetail | null>(null);
  const [assign, setAssign] = useState<Record<string, 0 | 1>>({});
  const [names, setNames] = useState<[string, string]>([`${p.grid.name}-1`, `${p.grid.name}-2`]);
  useEffect(() => {
    p.onParts(parts);
    return () => p.onParts(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [parts]);
  useEffect(() => {
    const ac = new AbortController();
    p.api.gridDetail(p.grid.id, ac.signal).then(setDetail).catch(() => {});
    return () => ac.abort();
  }, [p.api, p.grid.id]);
  const line: LineString = { type: 'LineString', coordinates: p.line };
  return (
    <ChangeDialog
      title={t('splitTitle', { code: p.grid.code })}
      testId="split-dialog"
      ready={Boolean(parts)}
      autoCheck
      run={(reason, dryRun) => p.api.split(p.grid.id, { baseVersion: p.grid.version, line, reason, dryRun, names, workers: assign })}
      onClose={p.onClose}
      onCommitted={p.onCommitted}
      onViolations={p.onViolations}
      onLocate={p.onLocate}
      onConflictReload={p.onConflictReload}
    >
      {!parts && <p className="editor-alert editor-alert--bad">{t('splitBadLine')}</p>}
      {parts && (
        <div className="editor-split-parts">
          <h4>{t('splitParts')}</h4>
          {parts.map((part, i) => (
            <label key={i} className={`editor-field editor-part editor-part--${i}`}>
              <span>
                {t('part', { n: i + 1 })} · {formatArea(areaM2(part), locale)}
              </span>
              <input
                value={names[i]}
                onChange={(e) => setNames((n) => (i === 0 ? [e.target.value, n[1]] : [n[0], e.target.value]))}
                aria-label={`${t('part', { n: i + 1 })} ${t('partName')}`}
              />
            </label>
          ))}
        </div>
      )}
      <h4>{t('workersTitle')}</h4>
      {detail && !detail.workers.length && <p className="editor-muted">{t('noWorkers')}</p>}
      {detail?.workers.map((w) => (
        <div key={w.id} className="editor-worker">
          <span>
            {w.name} <small className="editor-muted">{w.role}</small>
          </span>
          {[0, 1].map((part) => (
            <label key={part} className="editor-radio">
              <input
                type="radio"
                name={`worker-${w.id}`}
                checked={(assign[String(w.id)] ?? 0) === part}
                onChange={() => setAssign((a) => ({ ...a, [String(w.id)]: part as 0 | 1 }))}
              />
              {t('part', { n: part + 1 })}
            </label>
          ))}
        </div>
      ))}
    </ChangeDialog>
  );
}

export function MergeDialog(p: Common & { grids: GridInfo[]; geometries: PolygonCoords[] }) {
  const t = useEditorT();
  const [locale] = useLocale();
  const [name, setName] = useState('');
  const villages = new Set(p.grids.map((g) => g.village_code));
  const merged = useMemo(() => (p.geometries.length >= 2 ? mergePolygons(p.geometries) : null), [p.geometries]);
  const problem = p.grids.length < 2 ? t('mergeNeedTwo') : villages.size > 1 ? t('mergeDifferentVillages') : !merged ? t('mergeNotAdjacent') : null;
  return (
    <ChangeDialog
      title={t('mergeTitle', { count: p.grids.length })}
      testId="merge-dialog"
      ready={!problem}
      autoCheck
      run={(reason, dryRun) => p.api.merge({ grids: p.grids.map((g) => ({ id: g.id, baseVersion: g.version })), reason, dryRun, ...(name.trim() ? { name: name.trim() } : {}) })}
      onClose={p.onClose}
      onCommitted={p.onCommitted}
      onViolations={p.onViolations}
      onLocate={p.onLocate}
      onConflictReload={p.onConflictReload}
    >
      <ul className="editor-list">
        {p.grids.map((g) => (
          <li key={g.id}>
            <span className="editor-mono">{g.code}</span> {g.name}
          </li>
        ))}
      </ul>
      {problem ? <p className="editor-alert editor-alert--bad">{problem}</p> : <p className="editor-muted">{t('mergeKeeps', { code: p.grids[0].code })} · {merged && formatArea(areaM2(merged), locale)}</p>}
      <label className="editor-field">
        <span>{t('mergeName')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder={p.grids[0]?.name} />
      </label>
    </ChangeDialog>
  );
}

function VillagePicker({ villages, value, onChange, exclude }: { villages: VillageOption[]; value: string; onChange: (code: string) => void; exclude?: string }) {
  const t = useEditorT();
  const [q, setQ] = useState('');
  const list = villages.filter((v) => v.code !== exclude && (!q || v.name.includes(q) || v.code.includes(q) || v.township.includes(q))).slice(0, 200);
  // The chosen village stays listed (a default from the map may be past the first 200 or filtered out).
  const chosen = villages.find((v) => v.code === value);
  if (chosen && !list.includes(chosen)) list.unshift(chosen);
  return (
    <div className="editor-field">
      <span>{t('targetVillage')}</span>
      <input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('searchVillage')} />
      <select size={6} value={value} onChange={(e) => onChange(e.target.value)} aria-label={t('targetVillage')}>
        {list.map((v) => (
          <option key={v.code} value={v.code}>
            {v.township} · {v.name} ({v.code})
          </option>
        ))}
      </select>
    </div>
  );
}

export function ReassignDialog(p: Common & { grid: GridInfo; villages: VillageOption[] }) {
  const t = useEditorT();
  const [village, setVillage] = useState('');
  const current = p.villages.find((v) => v.code === p.grid.village_code);
  return (
    <ChangeDialog
      title={t('reassignTitle', { code: p.grid.code })}
      testId="reassign-dialog"
      ready={Boolean(village)}
      autoCheck
      run={(reason, dryRun) => p.api.reassign(p.grid.id, { baseVersion: p.grid.version, villageCode: village, reason, dryRun })}
      onClose={p.onClose}
      onCommitted={p.onCommitted}
      onViolations={p.onViolations}
      onLocate={p.onLocate}
      onConflictReload={p.onConflictReload}
    >
      <p className="editor-muted">
        {t('village')}: {current ? `${current.township} · ${current.name}` : p.grid.village_code}
      </p>
      <VillagePicker villages={p.villages} value={village} onChange={setVillage} exclude={p.grid.village_code} />
      {!village && <p className="editor-muted">{t('chooseVillage')}</p>}
    </ChangeDialog>
  );
}

export function CreateDialog(p: Common & { ring: Position[]; villages: VillageOption[]; defaultVillage: string | null }) {
  const t = useEditorT();
  const [locale] = useLocale();
  const [village, setVillage] = useState(p.defaultVillage ?? '');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'rural' | 'urban'>('rural');
  const closed = p.ring.length >= 3 ? [...p.ring, p.ring[0]] : null;
  const geometry: Polygon | null = closed ? { type: 'Polygon', coordinates: [closed] } : null;
  return (
    <ChangeDialog
      title={t('createTitle')}
      testId="create-dialog"
      ready={Boolean(geometry && village)}
      autoCheck
      run={(reason, dryRun) => p.api.create({ geometry: geometry!, villageCode: village, reason, dryRun, kind, ...(name.trim() ? { name: name.trim() } : {}) })}
      onClose={p.onClose}
      onCommitted={p.onCommitted}
      onViolations={p.onViolations}
      onLocate={p.onLocate}
      onConflictReload={p.onConflictReload}
    >
      {!geometry && <p className="editor-alert editor-alert--bad">{t('drawNeedThree')}</p>}
      {geometry && <p className="editor-muted">{t('area')}: {formatArea(areaM2(geometry.coordinates), locale)}</p>}
      <VillagePicker villages={p.villages} value={village} onChange={setVillage} />
      <label className="editor-field">
        <span>{t('createName')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="editor-field">
        <span>{t('kind')}</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as 'rural' | 'urban')}>
          <option value="rural">{t('kindRural')}</option>
          <option value="urban">{t('kindUrban')}</option>
        </select>
      </label>
    </ChangeDialog>
  );
}

export type RevertTarget = { kind: 'grid'; grid: GridInfo; toVersion: number } | { kind: 'set'; changeSetId: number };

export function RevertDialog(p: Common & { target: RevertTarget }) {
  const t = useEditorT();
  const target = p.target;
  return (
    <ChangeDialog
      title={target.kind === 'grid' ? t('revertGridTitle', { code: target.grid.code, v: target.toVersion }) : t('revertSetTitle', { id: target.changeSetId })}
      testId="revert-dialog"
      autoCheck
      run={(reason, dryRun) =>
        target.kind === 'grid'
          ? p.api.revertGrid(target.grid.id, { toVersion: target.toVersion, baseVersion: target.grid.version, reason, dryRun })
          : p.api.revertChangeSet(target.changeSetId, { reason, dryRun })}
      onClose={p.onClose}
      onCommitted={p.onCommitted}
      onViolations={p.onViolations}
      onLocate={p.onLocate}
      onConflictReload={p.onConflictReload}
    />
  );
}

export function HistoryPanel({ api, grid, onCompare, onRevert, onClose }: {
  api: EditApi;
  grid: GridInfo;
  onCompare: (pair: { older: Polygon; newer: Polygon } | null) => void;
  onRevert: (target: RevertTarget) => void;
  onClose: () => void;
}) {
  const t = useEditorT();
  const [locale] = useLocale();
  const [versions, setVersions] = useState<HistoryVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  useEffect(() => {
    const ac = new AbortController();
    setVersions(null);
    api.history(grid.id, ac.signal).then((v) => {
      setVersions(v);
      setPicked(v.length >= 2 ? [v[v.length - 2].version, v[v.length - 1].version] : []);
    }).catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => ac.abort();
  }, [api, grid.id, grid.version]);
  useEffect(() => {
    if (!versions || picked.length !== 2) {
      onCompare(null);
      return;
    }
    const [a, b] = [...picked].sort((x, y) => x - y).map((v) => versions.find((h) => h.version === v)!);
    onCompare(a && b ? { older: a.geometry, newer: b.geometry } : null);
  }, [versions, picked, onCompare]);
  useEffect(() => () => onCompare(null), [onCompare]);
  const toggle = (v: number) => setPicked((p) => (p.includes(v) ? p.filter((x) => x !== v) : [...p, v].slice(-2)));
  const fmt = (iso: string) => new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return (
    <section className="editor-history" data-testid="history-panel">
      <header className="editor-panel__head">
        <h3>{t('historyTitle', { code: grid.code })}</h3>
        <button type="button" className="editor-icon-btn" onClick={onClose} aria-label={t('close')}>
          ×
        </button>
      </header>
      {error && <p className="editor-alert editor-alert--bad">{t('failed', { message: error })}</p>}
      {!versions && !error && <p className="editor-muted">{t('historyLoading')}</p>}
      {versions && <p className="editor-muted editor-small">{t('compareHint')}</p>}
      <ol className="editor-versions">
        {versions
          ?.slice()
          .reverse()
          .map((v) => (
            <li key={v.version} className={v.validTo === null ? 'is-current' : ''}>
              <label className="editor-version__pick">
                <input type="checkbox" checked={picked.includes(v.version)} onChange={() => toggle(v.version)} aria-label={`${t('compare')} v${v.version}`} />
                <strong>v{v.version}</strong>
                {v.validTo === null && <span className="editor-tag">{t('current')}</span>}
              </label>
              <div className="editor-small">
                {fmt(v.validFrom)} · {v.changedBy} · {formatArea(v.areaM2, locale)}
              </div>
              <div className="editor-small editor-muted">{v.reason}</div>
              <div className="editor-version__actions">
                {v.validTo !== null && (
                  <button type="button" className="editor-link" onClick={() => onRevert({ kind: 'grid', grid, toVersion: v.version })}>
                    {t('revertTo')}
                  </button>
                )}
                {v.changeSetId !== null && v.version > 1 && (
                  <button type="button" className="editor-link" onClick={() => onRevert({ kind: 'set', changeSetId: v.changeSetId! })}>
                    {t('revertSet', { id: v.changeSetId })}
                  </button>
                )}
              </div>
            </li>
          ))}
      </ol>
      {picked.length === 2 && (
        <button type="button" className="editor-link" onClick={() => setPicked([])}>
          {t('compareOff')}
        </button>
      )}
    </section>
  );
}

export type { Feature };
