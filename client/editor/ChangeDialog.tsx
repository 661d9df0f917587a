// A change to the coverage, checked before it is saved: the operation's own fields (children), a
// required reason, "check" (dry run: the grids affected and how each one's area changes, or the
// rules broken) and "save". A 409 offers to reload the grids someone else changed.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useLatest } from '../useLatest.js';
import type { Geometry } from 'geojson';
import { useLocale } from '../i18n/index.js';
import { EditApiError, type ChangeResult, type ConflictGrid, type Violation } from './api.js';
import { formatArea, formatDelta, hasEditorString, useEditorT, type EditorT } from './strings.js';

export interface ChangeDialogProps {
  title: string;
  children?: ReactNode;
  /** Fields of the operation are complete. */
  ready?: boolean;
  /** Run the operation (dryRun: check only). */
  run: (reason: string, dryRun: boolean) => Promise<ChangeResult>;
  /** Check at once when opened (with a placeholder reason if none typed yet). */
  autoCheck?: boolean;
  defaultReason?: string;
  onClose: () => void;
  onCommitted: (result: ChangeResult) => void;
  /** Broken rules to draw on the map (empty: clear). */
  onViolations?: (violations: Violation[]) => void;
  onLocate?: (where: Geometry) => void;
  onConflictReload?: (current: ConflictGrid[]) => void;
  testId?: string;
}

type Outcome =
  | { kind: 'result'; result: ChangeResult }
  | { kind: 'violations'; message: string; violations: Violation[] }
  | { kind: 'conflict'; message: string; current: ConflictGrid[] }
  | { kind: 'error'; message: string };

export function ruleLabel(t: EditorT, rule: string): string {
  const k = `rule_${rule}`;
  return hasEditorString(k) ? t(k) : rule;
}

export function ChangeDialog(p: ChangeDialogProps) {
  const t = useEditorT();
  const [locale] = useLocale();
  const [reason, setReason] = useState(p.defaultReason ?? '');
  const [busy, setBusy] = useState<'check' | 'save' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [reasonError, setReasonError] = useState(false);
  const cb = useLatest(p);

  const go = useCallback(async (dryRun: boolean, reasonText: string) => {
    setBusy(dryRun ? 'check' : 'save');
    try {
      const result = await cb.current.run(reasonText, dryRun);
      cb.current.onViolations?.([]);
      if (dryRun) setOutcome({ kind: 'result', result });
      else cb.current.onCommitted(result);
    } catch (err) {
      if (err instanceof EditApiError && err.status === 422 && err.violations.length) {
        setOutcome({ kind: 'violations', message: err.message, violations: err.violations });
        cb.current.onViolations?.(err.violations);
      } else if (err instanceof EditApiError && err.status === 409) {
        setOutcome({ kind: 'conflict', message: err.message, current: err.current });
      } else {
        setOutcome({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    } finally {
      setBusy(null);
    }
  }, []);

  const ready = p.ready ?? true;
  useEffect(() => {
    if (p.autoCheck && ready) void go(true, reason.trim().length >= 2 ? reason.trim() : '预检');
    // once, when opened / when the fields become complete
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.autoCheck, ready]);

  const save = () => {
    if (reason.trim().length < 2) {
      setReasonError(true);
      return;
    }
    void go(false, reason.trim());
  };

  return (
    <section className="editor-dialog" role="dialog" aria-label={p.title} data-testid={p.testId}>
      <header className="editor-dialog__head">
        <h3>{p.title}</h3>
        <button type="button" className="editor-icon-btn" onClick={p.onClose} aria-label={t('close')} title={t('close')}>
          ×
        </button>
      </header>
      <div className="editor-dialog__body">
        {p.children}
        <label className="editor-field">
          <span>{t('reason')}</span>
          <textarea
            name="reason"
            rows={2}
            value={reason}
            placeholder={t('reasonPlaceholder')}
            onChange={(e) => {
              setReason(e.target.value);
              setReasonError(false);
            }}
          />
          {reasonError && <em className="editor-field__error">{t('reasonRequired')}</em>}
        </label>
        {outcome && <OutcomeView outcome={outcome} t={t} locale={locale} onLocate={p.onLocate} onConflictReload={p.onConflictReload} />}
      </div>
      <footer className="editor-dialog__foot">
        <button type="button" className="editor-btn" disabled={!ready || busy !== null} onClick={() => void go(true, reason.trim().length >= 2 ? reason.trim() : '预检')}>
          {busy === 'check' ? t('dryRunning') : t('dryRun')}
        </button>
        <button type="button" className="editor-btn editor-btn--primary" data-testid="commit" disabled={!ready || busy !== null} onClick={save}>
          {busy === 'save' ? t('committing') : t('commit')}
        </button>
      </footer>
    </section>
  );
}

function OutcomeView({ outcome, t, locale, onLocate, onConflictReload }: {
  outcome: Outcome; t: EditorT; locale: 'zh-CN' | 'en'; onLocate?: (where: Geometry) => void; onConflictReload?: (c: ConflictGrid[]) => void;
}) {
  if (outcome.kind === 'result') return <AreaTable result={outcome.result} t={t} locale={locale} />;
  if (outcome.kind === 'violations') {
    return (
      <div className="editor-violations" data-testid="violations">
        <p className="editor-alert editor-alert--bad">{t('violationsTitle', { count: outcome.violations.length })}</p>
        <ul>
          {outcome.violations.map((v, i) => (
            <li key={i}>
              <strong>{ruleLabel(t, v.rule)}</strong>
              {v.gridCode && <span className="editor-mono"> {v.gridCode}</span>}
              <div className="editor-muted">{v.message}</div>
              {v.where && onLocate && (
                <button type="button" className="editor-link" onClick={() => onLocate(v.where as Geometry)}>
                  {t('zoomTo')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  if (outcome.kind === 'conflict') {
    return (
      <div className="editor-alert editor-alert--warn" data-testid="conflict">
        <strong>{t('conflictTitle')}</strong>
        <p>{t('conflictText', { codes: outcome.current.map((c) => c.code).join('、') })}</p>
        {onConflictReload && (
          <button type="button" className="editor-btn" onClick={() => onConflictReload(outcome.current)}>
            {t('conflictReload')}
          </button>
        )}
      </div>
    );
  }
  return <p className="editor-alert editor-alert--bad">{t('failed', { message: outcome.message })}</p>;
}

/** The grids a change affects and how each one's area changes. */
export function AreaTable({ result, t, locale }: { result: ChangeResult; t: EditorT; locale: 'zh-CN' | 'en' }) {
  const before = result.grids.reduce((s, g) => s + g.areaBeforeM2, 0);
  const after = result.grids.reduce((s, g) => s + g.areaAfterM2, 0);
  const total = formatDelta(before, after, locale);
  const changeLabel = (c: string) => {
    const k = `change_${c}`;
    return hasEditorString(k) ? t(k) : c;
  };
  return (
    <div className="editor-area-table" data-testid="area-table">
      <p className="editor-alert editor-alert--good">{result.dryRun ? t('previewOk') : t('savedShort')}</p>
      <h4>{t('affected')}</h4>
      <table>
        <thead>
          <tr>
            <th>{t('name')} / {t('code')}</th>
            <th>{t('change')}</th>
            <th className="num">{t('areaBefore')}</th>
            <th className="num">{t('areaAfter')}</th>
            <th className="num">{t('areaDelta')}</th>
          </tr>
        </thead>
        <tbody>
          {result.grids.map((g) => {
            const d = formatDelta(g.areaBeforeM2, g.areaAfterM2, locale);
            return (
              <tr key={`${g.id}-${g.change}`}>
                <td className="editor-grid-cell">
                  <div>{g.name}</div>
                  <div className="editor-mono editor-muted" data-testid="grid-code">{g.code}</div>
                </td>
                <td className="editor-nowrap">{changeLabel(g.change)}{g.fromVersion !== null && g.toVersion !== null ? ` v${g.fromVersion}→v${g.toVersion}` : ''}</td>
                <td className="num">{formatArea(g.areaBeforeM2, locale)}</td>
                <td className="num">{formatArea(g.areaAfterM2, locale)}</td>
                <td className={`num delta delta--${d.sign}`}>
                  {d.text}
                  <small> {d.pct}</small>
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={2}>{t('totalDelta')}</td>
            <td className="num">{formatArea(before, locale)}</td>
            <td className="num">{formatArea(after, locale)}</td>
            <td className={`num delta delta--${total.sign}`}>{total.text}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
