// /edit: redrawing grid boundaries. The whole coverage is loaded at 7 decimals; a vertex equal in
// several grids is one node (topology.ts), so dragging it moves every grid sharing it and the
// coverage keeps no gaps and no overlaps. Unsaved edits are one change set with undo / redo; saving
// checks it first (dry run: the area change of every grid, or the broken rules drawn on the map).
// Split, merge, move to another village, new grid and revert are single server operations.
// Saved changes from anyone arrive through socket.io (`grids-changed`) and are reloaded.
import { useLatest } from '../useLatest.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as maplibregl from 'maplibre-gl';
import type { Feature, Geometry, Polygon, Position } from 'geojson';
import { LoginForm, SessionBadge } from '../auth/LoginForm.js';
import { canEdit } from '../auth/api.js';
import { useSession } from '../auth/useSession.js';
import { useLocale } from '../i18n/index.js';
import { lightTheme, type Theme } from '../theme.js';
import { EditApi, type ChangeResult, type ConflictGrid, type Violation } from './api.js';
import { ChangeDialog } from './ChangeDialog.js';
import {
  applyChanged, bboxOfCoords, boxAround, buildBase, gridAt, gridsInBox, NO_EDITS, pointInPolygon, staleEdits, workingCoverage,
  type BaseCoverage, type BBox, type Edits, type GridInfo,
} from './coverageModel.js';
import { EditorMap } from './EditorMap.js';
import { editorLayers, type VertexMark } from './editorLayers.js';
import { CreateDialog, HistoryPanel, MergeDialog, ReassignDialog, RevertDialog, SplitDialog, type RevertTarget, type VillageOption } from './Panels.js';
import { formatArea, formatDelta, hasEditorString, useEditorT } from './strings.js';
import {
  areaM2, buildNodeIndex, deleteNode, extendEnds, findSnap, insertOnEdge, isEditError, moveNode, nearestOnSegment, nodeKey, openRing, polygonIssues,
  type Coverage, type EditError, type EditResult, type PolygonCoords, type Snap,
} from './topology.js';
import { canRedo, canUndo, createStack, push, redo, reset, undo, undoRedoKey, type UndoStack } from './undoStack.js';
import { useGridsChanged } from './useGridsChanged.js';
import './editor.css';

export type EditorMode = 'edit' | 'split' | 'merge' | 'draw';

/** Pixels within which a dragged vertex snaps to a neighbour's vertex or edge. */
export const SNAP_PX = 12;
const VERTEX_HIT_PX = 9;
const EDGE_HIT_PX = 7;

/** TEST HOOK `window.__gridccEditor` for browser tests: the loaded coverage, read-only. */
export interface EditorTestHook {
  map: maplibregl.Map | null;
  ready: boolean;
  /** Coverage loads so far (1 = first). */
  loads: number;
  versions(): Record<number, number>;
  geometry(id: number): Polygon | null;
  edited(): number[];
  /** The selected grid. */
  selected(): number | null;
  /** Ids of the deck.gl layers handed to the map, and of those in the last frame drawn. */
  layers(): string[];
  drawn(): string[];
  mode: EditorMode;
  frames: number;
}
declare global {
  interface Window {
    __gridccEditor?: EditorTestHook;
  }
}

type Dialog =
  | { kind: 'save' }
  | { kind: 'split'; line: Position[] }
  | { kind: 'merge' }
  | { kind: 'reassign' }
  | { kind: 'create'; ring: Position[] }
  | { kind: 'revert'; target: RevertTarget };

interface Drag {
  from: Position;
  startPx: [number, number];
  to: Position;
  snap: Snap | null;
  moved: boolean;
}

type Hover = { kind: 'vertex'; position: Position } | { kind: 'edge'; a: Position; b: Position; p: Position } | null;

interface Toast {
  text: string;
  tone: 'good' | 'warn' | 'bad';
  at: number;
}

export interface EditorPageProps {
  theme?: Theme;
  /** Link back to the operator view. */
  backHref?: string;
}

export function EditorPage({ theme = lightTheme, backHref = '/' }: EditorPageProps) {
  const t = useEditorT();
  const session = useSession();
  useEffect(() => {
    document.title = `${t('pageTitle')} · 东海县网格化治理指挥中心`;
  }, [t]);
  if (session.user === undefined) return <div className="editor-center">{t('loading')}</div>;
  if (!session.user) {
    return (
      <div className="editor-center editor-login">
        <LoginForm title={t('loginTitle')} />
      </div>
    );
  }
  if (!canEdit(session.user)) {
    return (
      <div className="editor-center editor-login">
        <div className="editor-card">
          <p>{t('noPermission', { role: session.user.role })}</p>
          <p>
            <a href={backHref}>{t('back')}</a> · <SessionBadge />
          </p>
        </div>
      </div>
    );
  }
  return <Editor theme={theme} backHref={backHref} />;
}

function Editor({ theme, backHref }: { theme: Theme; backHref: string }) {
  const t = useEditorT();
  const [locale] = useLocale();
  const api = useMemo(() => new EditApi(), []);
  const [base, setBase] = useState<BaseCoverage | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [county, setCounty] = useState<Feature[] | null>(null);
  const [villages, setVillages] = useState<Feature[] | null>(null);
  const [villageOptions, setVillageOptions] = useState<VillageOption[]>([]);
  const [stack, setStack] = useState<UndoStack<Edits>>(() => createStack(NO_EDITS));
  const edits = stack.present;
  const [mode, setModeState] = useState<EditorMode>('edit');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [activeVertex, setActiveVertex] = useState<Position | null>(null);
  const [mergeIds, setMergeIds] = useState<number[]>([]);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [hover, setHover] = useState<Hover>(null);
  const [hoverGrid, setHoverGrid] = useState<number | null>(null);
  const [drawLine, setDrawLine] = useState<Position[]>([]);
  const [cursor, setCursor] = useState<Position | null>(null);
  const [cursorSnap, setCursorSnap] = useState<Snap | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [violations, setViolations] = useState<Violation[]>([]);
  const [compare, setCompare] = useState<{ older: Polygon; newer: Polygon } | null>(null);
  const [splitParts, setSplitParts] = useState<[PolygonCoords, PolygonCoords] | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [toast, setToast] = useState<Toast | null>(null);
  const [zoom, setZoom] = useState(9);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const baseRef = useRef<BaseCoverage | null>(null);
  baseRef.current = base;

  const say = useCallback((text: string, tone: Toast['tone'] = 'good') => setToast({ text, tone, at: Date.now() }), []);
  useEffect(() => {
    if (!toast) return;
    const id = setTimeout(() => setToast((x) => (x === toast ? null : x)), toast.tone === 'good' ? 4000 : 8000);
    return () => clearTimeout(id);
  }, [toast]);

  // ---- loading ---------------------------------------------------------------------------------
  const loadSeq = useRef(0);
  const reload = useCallback(async (): Promise<number[]> => {
    const seq = ++loadSeq.current;
    const fc = await api.coverage();
    if (seq !== loadSeq.current) return [];
    const { base: next, changed } = buildBase(fc.features, baseRef.current);
    baseRef.current = next;
    setBase(next);
    setLoadError(null);
    return changed;
  }, [api]);

  useEffect(() => {
    reload().catch((e: Error) => setLoadError(e.message));
    const ac = new AbortController();
    api.regions('county', ac.signal).then((r) => setCounty(r.features as Feature[])).catch(() => {});
    Promise.all([api.regions('village', ac.signal), api.regions('township', ac.signal)])
      .then(([v, tw]) => {
        setVillages(v.features as Feature[]);
        const tn = new Map(tw.features.map((f) => [f.properties.code, f.properties.name]));
        setVillageOptions(v.features.map((f) => ({ code: f.properties.code, name: f.properties.name, township: tn.get(f.properties.parentCode ?? '') ?? '' })));
      })
      .catch(() => {});
    return () => ac.abort();
  }, [api, reload]);

  const editsRef = useLatest(edits);
  // Changes saved by anyone (this page included): reload, keep the edits of grids not touched.
  useGridsChanged(
    (e) => {
      void reload().then(() => {
        const b = baseRef.current;
        if (!b) return;
        const stale = staleEdits(b, editsRef.current);
        if (stale.length) {
          const codes = stale.map((id) => b.info.get(id)?.code ?? `#${id}`).join('、');
          say(t('remoteConflict', { codes }), 'warn');
        } else if (!savingRef.current) {
          say(t('remoteChanged', { count: e.grids.length }), 'good');
        }
      });
    },
    { onReconnect: () => void reload() },
  );
  const savingRef = useRef(false);

  // ---- derived -------------------------------------------------------------------------------
  const coverage: Coverage | null = useMemo(() => (base ? workingCoverage(base, edits) : null), [base, edits]);
  const features = useMemo(() => {
    if (!base) return [];
    const out: Feature<Polygon, GridInfo>[] = [];
    for (const [id, f] of base.features) {
      const e = edits.get(id);
      out.push(e ? { ...f, geometry: { type: 'Polygon', coordinates: e.geometry } } : f);
    }
    return out;
  }, [base, edits]);
  const editedIds = useMemo(() => new Set(edits.keys()), [edits]);
  const selected = selectedId !== null ? (base?.info.get(selectedId) ?? null) : null;
  const selectedGeom = selectedId !== null && coverage ? (coverage.get(selectedId) ?? null) : null;

  // Nodes of the selected grid, how many grids share each, and neighbours' nodes (snap targets).
  const neighbourhood = useMemo(() => {
    if (!base || !coverage || !selectedGeom || selectedId === null) return null;
    const bb = selectedGeom.flat();
    const xs = bb.map((p) => p[0]);
    const ys = bb.map((p) => p[1]);
    const pad = 0.002;
    const ids = gridsInBox(base, edits, [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad]);
    const index = buildNodeIndex(coverage, ids);
    const own = new Set(selectedGeom.flatMap((r) => openRing(r)).map(nodeKey));
    const others: Position[] = [];
    for (const [k, refs] of index.nodes) if (!own.has(k)) others.push(coverage.get(refs[0].id)![refs[0].ring][refs[0].index]);
    return { ids, index, others };
  }, [base, coverage, edits, selectedGeom, selectedId]);

  const vertices: VertexMark[] = useMemo(() => {
    if (!selectedGeom || !neighbourhood || mode !== 'edit') return [];
    const ak = activeVertex ? nodeKey(activeVertex) : null;
    const dk = drag?.moved ? nodeKey(drag.from) : null;
    return selectedGeom.flatMap((r) => openRing(r)).map((p) => {
      const k = nodeKey(p);
      // The dragged vertex follows the pointer (or its snap target).
      const position = k === dk ? drag!.to : p;
      return { position, shared: new Set((neighbourhood.index.nodes.get(k) ?? []).map((v) => v.id)).size, active: k === ak || k === dk };
    });
  }, [selectedGeom, neighbourhood, activeVertex, mode, drag]);

  const dragPreview = useMemo(() => {
    if (!drag?.moved || !coverage || !base) return null;
    const r = commitDragOn(coverage, base, edits, drag);
    if (isEditError(r)) return null;
    return r.changed.map((id) => ({ type: 'Feature' as const, properties: { id }, geometry: { type: 'Polygon' as const, coordinates: r.coverage.get(id)! } }));
  }, [drag, coverage, base, edits]);

  const violationFeatures = useMemo(
    () => violations.filter((v) => v.where).map((v) => ({ type: 'Feature' as const, properties: { rule: v.rule }, geometry: v.where as Geometry })),
    [violations],
  );

  const layers = useMemo(
    () =>
      editorLayers({
        theme, grids: features, villages, edited: editedIds, selectedId: mode === 'merge' ? null : selectedId, mergeIds: mode === 'merge' ? mergeIds : [],
        vertices, neighbourNodes: mode === 'edit' && zoom >= 13 ? (neighbourhood?.others ?? []) : [],
        dragPreview, snap: drag?.snap ?? cursorSnap, ghost: hover?.kind === 'edge' && !drag ? hover.p : null, violations: violationFeatures,
        drawLine, drawClosed: mode === 'draw', cursor: drawLine.length ? cursor : null, compare, splitParts, zoom,
      }),
    [theme, features, villages, editedIds, selectedId, mergeIds, vertices, neighbourhood, mode, zoom, dragPreview, drag, cursorSnap, hover, violationFeatures, drawLine, cursor, compare, splitParts],
  );

  // ---- editing operations ------------------------------------------------------------------------
  const applyOp = useCallback((op: (c: Coverage) => EditResult | EditError, near: Position[]) => {
    const b = baseRef.current;
    if (!b) return false;
    const cur = editsRef.current;
    const ids = new Set<number>();
    for (const p of near) for (const id of gridsInBox(b, cur, boxAround(p, 1e-6))) ids.add(id);
    const sub = new Map<number, PolygonCoords>();
    for (const id of ids) sub.set(id, cur.get(id)?.geometry ?? b.coverage.get(id)!);
    const r = op(sub);
    if (isEditError(r)) {
      const k = `editError_${r.error}`;
      say(hasEditorString(k) ? t(k, { grids: r.grids.map((id) => b.info.get(id)?.code ?? id).join('、') }) : r.error, 'bad');
      return false;
    }
    const next = applyChanged(b, cur, r.coverage, r.changed);
    setStack((s) => push(s, next));
    const bad = r.changed.filter((id) => polygonIssues(r.coverage.get(id)!).length);
    if (bad.length) {
      const issues = [...new Set(bad.flatMap((id) => polygonIssues(r.coverage.get(id)!)))].map((i) => t(`issue_${i}` as 'issue_self_intersection')).join('、');
      say(`${bad.map((id) => b.info.get(id)?.code).join('、')}：${t('localIssues', { issues })}`, 'warn');
    }
    return true;
  }, [say, t]);

  const deleteVertex = useCallback((p: Position) => {
    if (applyOp((c) => deleteNode(c, p), [p])) setActiveVertex(null);
  }, [applyOp]);

  const setMode = useCallback((m: EditorMode) => {
    setModeState(m);
    setDrawLine([]);
    setCursor(null);
    setCursorSnap(null);
    setHover(null);
    setActiveVertex(null);
    if (m !== 'merge') setMergeIds([]);
    if (m === 'merge' && selectedId !== null) setMergeIds([selectedId]);
  }, [selectedId]);

  const doUndo = useCallback(() => setStack((s) => undo(s)), []);
  const doRedo = useCallback(() => setStack((s) => redo(s)), []);
  const cancelAll = useCallback(() => {
    if (!editsRef.current.size) return;
    if (!window.confirm(t('confirmCancel', { count: editsRef.current.size }))) return;
    setStack(reset(NO_EDITS));
    setViolations([]);
    setDialog(null);
  }, [t]);

  const finishDrawing = useCallback(() => {
    const line = drawLineRef.current;
    const m = modeRef.current;
    if (m === 'split' && line.length >= 2 && selectedIdRef.current !== null) setDialog({ kind: 'split', line: extendEnds(line) });
    if (m === 'draw') {
      if (line.length >= 3) setDialog({ kind: 'create', ring: line });
      else say(t('drawNeedThree'), 'warn');
    }
  }, [say, t]);

  // ---- map interaction -------------------------------------------------------------------------
  const modeRef = useLatest(mode);
  const selectedIdRef = useLatest(selectedId);
  const mergeIdsRef = useLatest(mergeIds);
  const drawLineRef = useLatest(drawLine);
  const dragRef = useRef<Drag | null>(null);
  const hoverRef = useLatest(hover);
  const suppressClick = useRef(false);
  const handlers = useLatest({ applyOp, deleteVertex, finishDrawing, setMergeIds, say });

  const onMap = useCallback((map: maplibregl.Map | null) => {
    mapRef.current = map;
    if (window.__gridccEditor) window.__gridccEditor.map = map;
    if (!map) return;
    const project = (p: Position): [number, number] => {
      const q = map.project([p[0], p[1]]);
      return [q.x, q.y];
    };
    const lngLatBox = (pt: [number, number], px: number) => {
      const a = map.unproject([pt[0] - px, pt[1] + px]);
      const b = map.unproject([pt[0] + px, pt[1] - px]);
      return [a.lng, a.lat, b.lng, b.lat] as [number, number, number, number];
    };
    const selectedPoly = (): PolygonCoords | null => {
      const b = baseRef.current;
      const id = selectedIdRef.current;
      if (!b || id === null) return null;
      return editsRef.current.get(id)?.geometry ?? b.coverage.get(id) ?? null;
    };
    const vertexAt = (pt: [number, number]): Position | null => {
      const poly = selectedPoly();
      if (!poly) return null;
      let best: Position | null = null;
      let bd = VERTEX_HIT_PX;
      for (const r of poly) for (const p of openRing(r)) {
        const q = project(p);
        const d = Math.hypot(q[0] - pt[0], q[1] - pt[1]);
        if (d <= bd) {
          bd = d;
          best = p;
        }
      }
      return best;
    };
    const edgeAt = (pt: [number, number]): Hover => {
      const poly = selectedPoly();
      if (!poly) return null;
      let best: Hover = null;
      let bd = EDGE_HIT_PX;
      for (const r of poly) {
        const open = openRing(r);
        for (let i = 0; i < open.length; i++) {
          const a = open[i];
          const b = open[(i + 1) % open.length];
          const n = nearestOnSegment(pt, project(a), project(b));
          if (n.d <= bd && n.t > 0.02 && n.t < 0.98) {
            bd = n.d;
            const ll = map.unproject([n.x, n.y]);
            best = { kind: 'edge', a, b, p: [ll.lng, ll.lat] };
          }
        }
      }
      return best;
    };
    const snapAt = (pt: [number, number], exclude: Set<string>, alt: boolean): Snap | null => {
      const b = baseRef.current;
      if (!b || alt) return null;
      const cur = editsRef.current;
      const ids = gridsInBox(b, cur, lngLatBox(pt, SNAP_PX));
      const sub = new Map<number, PolygonCoords>();
      for (const id of ids) sub.set(id, cur.get(id)?.geometry ?? b.coverage.get(id)!);
      return findSnap(sub, ids, pt, project, SNAP_PX, exclude);
    };
    const canvas = map.getCanvas();
    let frame = 0;
    let lastMove: maplibregl.MapMouseEvent | null = null;

    const dragTo = (ev: maplibregl.MapMouseEvent) => {
      const d = dragRef.current;
      if (!d) return;
      const pt: [number, number] = [ev.point.x, ev.point.y];
      const moved = d.moved || Math.hypot(pt[0] - d.startPx[0], pt[1] - d.startPx[1]) > 3;
      const snap = snapAt(pt, new Set([nodeKey(d.from)]), ev.originalEvent.altKey);
      const next = { ...d, moved, snap, to: snap?.position ?? [ev.lngLat.lng, ev.lngLat.lat] };
      dragRef.current = next;
      setDrag(next);
    };
    const onMove = (e: maplibregl.MapMouseEvent) => {
      lastMove = e;
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const ev = lastMove!;
        const pt: [number, number] = [ev.point.x, ev.point.y];
        const alt = ev.originalEvent.altKey;
        if (dragRef.current) {
          dragTo(ev);
          return;
        }
        const m = modeRef.current;
        const b = baseRef.current;
        if (b) {
          const g = gridAt(b, editsRef.current, [ev.lngLat.lng, ev.lngLat.lat]);
          setHoverGrid((x) => (x === g ? x : g));
        }
        if (m === 'edit') {
          const v = vertexAt(pt);
          const h: Hover = v ? { kind: 'vertex', position: v } : edgeAt(pt);
          setHover((x) => (sameHover(x, h) ? x : h));
          canvas.style.cursor = v ? 'move' : h ? 'copy' : '';
        } else if (m === 'split' || m === 'draw') {
          const snap = snapAt(pt, new Set(), alt);
          setCursorSnap(snap);
          setCursor(snap?.position ?? [ev.lngLat.lng, ev.lngLat.lat]);
          canvas.style.cursor = 'crosshair';
        } else {
          canvas.style.cursor = 'pointer';
        }
      });
    };
    const onDown = (e: maplibregl.MapMouseEvent) => {
      if (e.originalEvent.button !== 0 || modeRef.current !== 'edit') return;
      const pt: [number, number] = [e.point.x, e.point.y];
      const v = vertexAt(pt);
      if (!v) return;
      e.preventDefault();
      map.dragPan.disable();
      const d: Drag = { from: v, startPx: pt, to: v, snap: null, moved: false };
      dragRef.current = d;
      setDrag(d);
      setActiveVertex(v);
    };
    const endDrag = () => {
      const d = dragRef.current;
      if (!d) return;
      dragRef.current = null;
      setDrag(null);
      map.dragPan.enable();
      suppressClick.current = true;
      setTimeout(() => (suppressClick.current = false), 0);
      if (!d.moved) return;
      const b = baseRef.current;
      if (!b) return;
      const near = d.snap?.edge ? [d.from, ...d.snap.edge] : [d.from];
      if (handlers.current.applyOp((c) => commitDragOn(c, b, editsRef.current, d, true), near)) setActiveVertex(roundTo(d.to));
    };
    const onClick = (e: maplibregl.MapMouseEvent) => {
      if (suppressClick.current) {
        suppressClick.current = false;
        return;
      }
      const b = baseRef.current;
      if (!b) return;
      const ll: Position = [e.lngLat.lng, e.lngLat.lat];
      const m = modeRef.current;
      if (m === 'edit') {
        const h = hoverRef.current;
        const pt: [number, number] = [e.point.x, e.point.y];
        if (vertexAt(pt)) return;
        const edge = edgeAt(pt);
        if (edge && edge.kind === 'edge' && h) {
          handlers.current.applyOp((c) => insertOnEdge(c, edge.a, edge.b, edge.p), [edge.a, edge.b]);
          setActiveVertex(roundTo(edge.p));
          return;
        }
        setSelectedId(gridAt(b, editsRef.current, ll));
        setActiveVertex(null);
      } else if (m === 'merge') {
        const g = gridAt(b, editsRef.current, ll);
        if (g !== null) handlers.current.setMergeIds((ids) => (ids.includes(g) ? ids.filter((x) => x !== g) : [...ids, g]));
      } else if (m === 'split' && selectedIdRef.current === null) {
        setSelectedId(gridAt(b, editsRef.current, ll));
      } else if (m === 'split' || m === 'draw') {
        const snap = snapAt([e.point.x, e.point.y], new Set(), e.originalEvent.altKey);
        const p = roundTo(snap?.position ?? ll);
        setDrawLine((line) => (line.length && nodeKey(line[line.length - 1]) === nodeKey(p) ? line : [...line, p]));
      }
    };
    const onDbl = (e: maplibregl.MapMouseEvent) => {
      const m = modeRef.current;
      if (m === 'split' || m === 'draw') {
        e.preventDefault();
        handlers.current.finishDrawing();
      }
    };
    const onContext = (e: maplibregl.MapMouseEvent) => {
      if (modeRef.current !== 'edit') return;
      const v = vertexAt([e.point.x, e.point.y]);
      if (v) {
        e.preventDefault();
        handlers.current.deleteVertex(v);
      }
    };
    map.on('mousemove', onMove);
    map.on('mousedown', onDown);
    // The vertex lands where the button is released, even when the last move has no frame yet.
    map.on('mouseup', (e) => {
      dragTo(e);
      endDrag();
    });
    window.addEventListener('mouseup', endDrag);
    map.on('click', onClick);
    map.on('dblclick', onDbl);
    map.on('contextmenu', onContext);
    map.on('zoomend', () => setZoom(map.getZoom()));
    if (map.loaded()) setMapLoaded(true);
    else map.once('load', () => setMapLoaded(true));
    map.once('idle', () => setZoom(map.getZoom()));
  }, []);

  // Double-click zooms only outside drawing.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (mode === 'split' || mode === 'draw') map.doubleClickZoom.disable();
    else map.doubleClickZoom.enable();
  }, [mode]);

  // Keyboard: undo / redo, delete vertex, finish / cancel drawing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT')) return;
      const ur = undoRedoKey(e);
      if (ur) {
        e.preventDefault();
        if (ur === 'undo') doUndo();
        else doRedo();
        return;
      }
      if ((e.key === 'Delete' || e.key === 'Backspace') && activeVertex && mode === 'edit') {
        e.preventDefault();
        deleteVertex(activeVertex);
      } else if (e.key === 'Enter' && (mode === 'split' || mode === 'draw')) {
        finishDrawing();
      } else if (!e.ctrlKey && !e.metaKey && !e.altKey && ['v', 's', 'm', 'n'].includes(e.key.toLowerCase())) {
        const m = ({ v: 'edit', s: 'split', m: 'merge', n: 'draw' } as const)[e.key.toLowerCase() as 'v' | 's' | 'm' | 'n'];
        if (m === 'edit' || !editsRef.current.size) setMode(m);
      } else if (e.key === 'Escape') {
        if (drawLine.length) setDrawLine([]);
        else if (activeVertex) setActiveVertex(null);
        else if (dialog) setDialog(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doUndo, doRedo, activeVertex, mode, deleteVertex, finishDrawing, drawLine.length, dialog, setMode]);

  // ---- test hook -------------------------------------------------------------------------------
  const layersRef = useLatest(layers);
  const drawnRef = useRef<string[]>([]);
  const hook = useRef<EditorTestHook>({
    map: null, ready: false, loads: 0, mode: 'edit', frames: 0,
    selected: () => selectedIdRef.current,
    layers: () => layersRef.current.map((l) => l.id),
    drawn: () => drawnRef.current,
    versions: () => Object.fromEntries([...(baseRef.current?.info ?? new Map<number, GridInfo>())].map(([id, g]) => [id, g.version])),
    geometry: (id) => {
      const c = editsRef.current.get(id)?.geometry ?? baseRef.current?.coverage.get(id);
      return c ? { type: 'Polygon', coordinates: c } : null;
    },
    edited: () => [...editsRef.current.keys()],
  });
  useEffect(() => {
    window.__gridccEditor = hook.current;
    hook.current.map = mapRef.current;
    return () => {
      if (window.__gridccEditor === hook.current) delete window.__gridccEditor;
    };
  }, []);
  hook.current.mode = mode;
  hook.current.loads = base?.seq ?? 0;
  const [mapLoaded, setMapLoaded] = useState(false);
  const onAfterRender = useCallback(() => {
    hook.current.frames++;
    drawnRef.current = layersRef.current.map((l) => l.id);
  }, []);
  // Ready: coverage loaded and handed to the layers, base map style loaded.
  useEffect(() => {
    hook.current.ready = Boolean(base && mapLoaded);
  }, [base, mapLoaded]);

  // ---- results of operations -------------------------------------------------------------------
  const afterCommit = useCallback(async (r: ChangeResult, opts: { keepEdits?: boolean } = {}) => {
    savingRef.current = true;
    try {
      await reload();
    } finally {
      setTimeout(() => (savingRef.current = false), 1500);
    }
    if (!opts.keepEdits) setStack(reset(NO_EDITS));
    setDialog(null);
    setViolations([]);
    setDrawLine([]);
    setMergeIds([]);
    setSplitParts(null);
    const created = r.grids.find((g) => g.change === 'created');
    const retiredSel = r.grids.some((g) => g.change === 'retired' && g.id === selectedIdRef.current);
    if (retiredSel || (created && modeRef.current !== 'edit')) setSelectedId(created?.id ?? null);
    if (modeRef.current !== 'edit') setModeState('edit');
    say(t('saved', { id: r.changeSetId ?? '-', count: r.grids.length }), 'good');
  }, [reload, say, t]);

  const onConflictReload = useCallback(async (current: ConflictGrid[]) => {
    await reload();
    const ids = new Set(current.map((c) => c.id));
    setStack((s) => reset(new Map([...s.present].filter(([id]) => !ids.has(id)))));
    setDialog(null);
  }, [reload]);

  const onLocate = useCallback((where: Geometry) => {
    const map = mapRef.current;
    if (!map) return;
    const pts: Position[] = [];
    const visit = (c: unknown): void => {
      if (Array.isArray(c) && typeof c[0] === 'number') pts.push(c as Position);
      else if (Array.isArray(c)) c.forEach(visit);
    };
    if ('coordinates' in where) visit(where.coordinates);
    if (!pts.length) return;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    map.fitBounds([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], { padding: 120, maxZoom: 17, duration: 600 });
  }, []);

  /** Show grids (and drawn lines) beside the dialog (it covers the left of the map). */
  const fitGrids = useCallback((ids: number[], extra: Position[] = []) => {
    const b = baseRef.current;
    const map = mapRef.current;
    if (!b || !map) return;
    const boxes = ids.map((id) => {
      const e = editsRef.current.get(id);
      return e ? bboxOfCoords(e.geometry) : b.info.get(id)?.bbox;
    }).filter((x): x is BBox => Boolean(x));
    if (extra.length) boxes.push(bboxOfCoords([extra]));
    if (!boxes.length) return;
    const w = map.getContainer().clientWidth;
    map.fitBounds(
      [Math.min(...boxes.map((x) => x[0])), Math.min(...boxes.map((x) => x[1])), Math.max(...boxes.map((x) => x[2])), Math.max(...boxes.map((x) => x[3]))],
      { padding: { left: Math.min(540, w / 2), right: 40, top: 70, bottom: 50 }, maxZoom: 17, duration: 500 },
    );
  }, []);

  // An operation's dialog opens over the left of the map: move what it changes into view.
  useEffect(() => {
    if (!dialog) return;
    const sel = selectedIdRef.current;
    if (dialog.kind === 'save') fitGrids([...editsRef.current.keys()]);
    else if (dialog.kind === 'split' && sel !== null) fitGrids([sel], dialog.line);
    else if (dialog.kind === 'reassign' && sel !== null) fitGrids([sel]);
    else if (dialog.kind === 'merge') fitGrids(mergeIdsRef.current);
    else if (dialog.kind === 'create') fitGrids([], dialog.ring);
    else if (dialog.kind === 'revert' && dialog.target.kind === 'grid') fitGrids([dialog.target.grid.id]);
  }, [dialog, fitGrids]);

  const zoomToGrid = useCallback((id: number) => {
    const g = baseRef.current?.info.get(id);
    if (g) mapRef.current?.fitBounds([g.bbox[0], g.bbox[1], g.bbox[2], g.bbox[3]], { padding: 160, maxZoom: 16.5, duration: 600 });
  }, []);

  const common = {
    api, onClose: () => setDialog(null), onCommitted: (r: ChangeResult) => void afterCommit(r),
    onViolations: setViolations, onLocate, onConflictReload: (c: ConflictGrid[]) => void onConflictReload(c),
  };
  const pendingOps = edits.size > 0;

  // ---- render ----------------------------------------------------------------------------------
  const modeButton = (m: EditorMode, label: string, key: string) => (
    <button
      type="button"
      className={`editor-mode${mode === m ? ' is-active' : ''}`}
      aria-pressed={mode === m}
      title={`${label} (${key})`}
      data-mode={m}
      disabled={m !== 'edit' && pendingOps}
      onClick={() => setMode(m)}
    >
      {label}
    </button>
  );
  const hint =
    mode === 'edit' ? (selected ? t('hintEdit') : t('hintEditNone'))
      : mode === 'split' ? (selected ? t('hintSplit') : t('hintSplitNoGrid'))
        : mode === 'merge' ? t('hintMerge') : t('hintDraw');
  const dragShared = drag ? new Set((neighbourhood?.index.nodes.get(nodeKey(drag.from)) ?? []).map((v) => v.id)).size : 0;
  const snapText = (drag?.snap ?? cursorSnap) ? t((drag?.snap ?? cursorSnap)!.kind === 'node' ? 'snapNode' : 'snapEdge') : null;
  const hoverInfo = hoverGrid !== null ? base?.info.get(hoverGrid) : null;

  return (
    <div className="editor-page" data-testid="editor-page">
      <header className="editor-bar">
        <h1 className="editor-bar__title">{t('pageTitle')}</h1>
        <div className="editor-modes" role="group">
          {modeButton('edit', t('modeEdit'), 'V')}
          {modeButton('split', t('modeSplit'), 'S')}
          {modeButton('merge', t('modeMerge'), 'M')}
          {modeButton('draw', t('modeDraw'), 'N')}
        </div>
        <div className="editor-bar__edit">
          <button type="button" className="editor-btn" onClick={doUndo} disabled={!canUndo(stack)} title={`${t('undo')} (Ctrl+Z)`} data-testid="undo">
            ↶ {t('undo')}
          </button>
          <button type="button" className="editor-btn" onClick={doRedo} disabled={!canRedo(stack)} title={`${t('redo')} (Ctrl+Shift+Z)`} data-testid="redo">
            ↷ {t('redo')}
          </button>
          <span className={`editor-pending${pendingOps ? ' has-edits' : ''}`} data-testid="pending">
            {pendingOps ? t('pending', { count: edits.size }) : t('pendingNone')}
          </span>
          <button type="button" className="editor-btn" onClick={cancelAll} disabled={!pendingOps}>
            {t('cancelAll')}
          </button>
          <button type="button" className="editor-btn editor-btn--primary" onClick={() => setDialog({ kind: 'save' })} disabled={!pendingOps} data-testid="save">
            {t('save')}
          </button>
        </div>
        <div className="editor-bar__right">
          <SessionBadge />
          <a className="editor-bar__back" href={backHref}>
            {t('back')}
          </a>
        </div>
      </header>
      <div className="editor-main">
        <div className="editor-map-wrap">
          <EditorMap theme={theme} layers={layers} county={county} onMap={onMap} onAfterRender={onAfterRender} />
          <div className="editor-hint" data-testid="hint">
            <span>{hint}</span>
            <span className="editor-hint__snap">
              {drag?.moved && dragShared > 1 && <b>{t('sharedBy', { count: dragShared })} · </b>}
              {snapText ? <b className="editor-snap-on">⊙ {snapText}</b> : t('snapOn', { px: SNAP_PX })}
            </span>
          </div>
          {hoverInfo && !drag && !dialog && (
            <div className="editor-hovercard">
              <span className="editor-mono">{hoverInfo.code}</span> {hoverInfo.name}
            </div>
          )}
          <Legend t={t} />
          {!base && !loadError && <div className="editor-overlay-msg">{t('loading')}</div>}
          {loadError && (
            <div className="editor-overlay-msg editor-alert--bad">
              {t('loadFailed', { message: loadError })}{' '}
              <button type="button" className="editor-btn" onClick={() => void reload().catch((e: Error) => setLoadError(e.message))}>
                {t('retry')}
              </button>
            </div>
          )}
          {toast && (
            <div className={`editor-toast editor-toast--${toast.tone}`} role="status" data-testid="toast">
              {toast.text}
            </div>
          )}
          {dialog && base && (
            <div className="editor-dialog-wrap">
              {dialog.kind === 'save' && (
                <ChangeDialog
                  title={t('save')}
                  testId="save-dialog"
                  autoCheck
                  run={(reason, dryRun) =>
                    api.saveChanges({
                      reason, dryRun,
                      changes: [...edits].map(([id, e]) => ({ id, baseVersion: e.baseVersion, geometry: { type: 'Polygon', coordinates: e.geometry } })),
                    })}
                  {...common}
                />
              )}
              {dialog.kind === 'split' && selected && selectedGeom && (
                <SplitDialog {...common} grid={selected} geometry={selectedGeom} line={dialog.line} onParts={setSplitParts} />
              )}
              {dialog.kind === 'merge' && (
                <MergeDialog
                  {...common}
                  grids={mergeIds.map((id) => base.info.get(id)!).filter(Boolean)}
                  geometries={mergeIds.map((id) => base.coverage.get(id)!).filter(Boolean)}
                />
              )}
              {dialog.kind === 'reassign' && selected && <ReassignDialog {...common} grid={selected} villages={villageOptions} />}
              {dialog.kind === 'create' && (
                <CreateDialog {...common} ring={dialog.ring} villages={villageOptions} defaultVillage={villageAt(villages, dialog.ring)} />
              )}
              {dialog.kind === 'revert' && <RevertDialog {...common} target={dialog.target} />}
            </div>
          )}
        </div>
        <aside className="editor-side">
          {mode === 'merge' ? (
            <section className="editor-panel">
              <h3>{t('modeMerge')}</h3>
              <ul className="editor-list">
                {mergeIds.map((id) => {
                  const g = base?.info.get(id);
                  return g ? (
                    <li key={id}>
                      <span className="editor-mono">{g.code}</span> {g.name}
                    </li>
                  ) : null;
                })}
              </ul>
              <div className="editor-row">
                <button type="button" className="editor-btn editor-btn--primary" disabled={mergeIds.length < 2} onClick={() => setDialog({ kind: 'merge' })}>
                  {t('merge')}
                </button>
                <button type="button" className="editor-btn" disabled={!mergeIds.length} onClick={() => setMergeIds([])}>
                  {t('clearSelection')}
                </button>
              </div>
            </section>
          ) : selected && selectedGeom ? (
            <section className="editor-panel" data-testid="selected-panel">
              <h3>{t('selected')}</h3>
              <dl className="editor-props">
                <dt>{t('code')}</dt>
                <dd className="editor-mono">{selected.code}</dd>
                <dt>{t('name')}</dt>
                <dd>{selected.name}</dd>
                <dt>{t('village')}</dt>
                <dd>{villageOptions.find((v) => v.code === selected.village_code)?.name ?? selected.village_code}</dd>
                <dt>{t('kind')}</dt>
                <dd>{selected.kind === 'urban' ? t('kindUrban') : t('kindRural')}</dd>
                <dt>{t('version')}</dt>
                <dd>v{selected.version}</dd>
                <dt>{t('area')}</dt>
                <dd>{formatArea(areaM2(selectedGeom), locale)}</dd>
                <dt>{t('vertices')}</dt>
                <dd>
                  {vertices.length || selectedGeom.reduce((s, r) => s + r.length - 1, 0)}
                  {vertices.length > 0 && ` · ${t('sharedVertices')} ${vertices.filter((v) => v.shared > 1).length}`}
                </dd>
              </dl>
              {mode === 'edit' && activeVertex && (
                <button type="button" className="editor-btn" onClick={() => deleteVertex(activeVertex)}>
                  {t('deleteVertex')} (Delete)
                </button>
              )}
              {mode === 'split' && (
                <div className="editor-row">
                  <button type="button" className="editor-btn editor-btn--primary" disabled={drawLine.length < 2} onClick={finishDrawing}>
                    {t('finishLine')}
                  </button>
                  <button type="button" className="editor-btn" disabled={!drawLine.length} onClick={() => setDrawLine([])}>
                    {t('clearLine')}
                  </button>
                </div>
              )}
              <h4>{t('actionsTitle')}</h4>
              <div className="editor-row editor-row--wrap">
                <button type="button" className="editor-btn" disabled={pendingOps} onClick={() => setMode('split')}>
                  {t('split')}
                </button>
                <button type="button" className="editor-btn" disabled={pendingOps} onClick={() => setDialog({ kind: 'reassign' })}>
                  {t('reassign')}
                </button>
                <button type="button" className={`editor-btn${historyOpen ? ' is-active' : ''}`} onClick={() => setHistoryOpen((o) => !o)} data-testid="history-toggle">
                  {t('history')}
                </button>
              </div>
            </section>
          ) : (
            <section className="editor-panel">
              <p className="editor-muted">{mode === 'draw' ? t('hintDraw') : t('hintEditNone')}</p>
              {mode === 'draw' && (
                <div className="editor-row">
                  <button type="button" className="editor-btn editor-btn--primary" disabled={drawLine.length < 3} onClick={finishDrawing}>
                    {t('finishLine')}
                  </button>
                  <button type="button" className="editor-btn" disabled={!drawLine.length} onClick={() => setDrawLine([])}>
                    {t('clearLine')}
                  </button>
                </div>
              )}
              {base && <p className="editor-muted editor-small">{t('gridsLoaded', { count: base.info.size })}</p>}
            </section>
          )}
          {pendingOps && base && (
            <section className="editor-panel" data-testid="pending-panel">
              <h3>{t('pending', { count: edits.size })}</h3>
              <table className="editor-mini-table">
                <tbody>
                  {[...edits].map(([id, e]) => {
                    const g = base.info.get(id);
                    const before = base.coverage.get(id);
                    const d = before ? formatDelta(areaM2(before), areaM2(e.geometry), locale) : null;
                    const issues = polygonIssues(e.geometry);
                    return (
                      <tr key={id} onClick={() => zoomToGrid(id)} className="is-clickable">
                        <td className="editor-mono">{g?.code}</td>
                        <td>{g?.name}</td>
                        <td className={`num delta delta--${d?.sign ?? 0}`}>{d?.text}</td>
                        {issues.length > 0 && <td className="editor-bad">⚠</td>}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          )}
          {historyOpen && selected && mode === 'edit' && (
            <HistoryPanel api={api} grid={selected} onCompare={setCompare} onRevert={(target) => setDialog({ kind: 'revert', target })} onClose={() => setHistoryOpen(false)} />
          )}
          {violations.length > 0 && (
            <button type="button" className="editor-link" onClick={() => setViolations([])}>
              ✕ {t('legendViolation')}
            </button>
          )}
        </aside>
      </div>
    </div>
  );
}

/** Apply a finished (or in-progress) drag to a coverage: insert on the snapped edge first, then move. */
function commitDragOn(c: Coverage, _base: BaseCoverage, _edits: Edits, d: Drag, _final = false): EditResult | EditError {
  let cov = c;
  const changed = new Set<number>();
  if (d.snap?.kind === 'edge' && d.snap.edge) {
    const ins = insertOnEdge(cov, d.snap.edge[0], d.snap.edge[1], d.snap.position);
    if (!isEditError(ins)) {
      cov = ins.coverage;
      ins.changed.forEach((id) => changed.add(id));
    }
  }
  const mv = moveNode(cov, d.from, d.to);
  if (isEditError(mv)) return mv;
  mv.changed.forEach((id) => changed.add(id));
  return { coverage: mv.coverage, changed: [...changed] };
}

const roundTo = (p: Position): Position => [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];

function sameHover(a: Hover, b: Hover): boolean {
  if (a === b) return true;
  if (!a || !b || a.kind !== b.kind) return false;
  if (a.kind === 'vertex' && b.kind === 'vertex') return nodeKey(a.position) === nodeKey(b.position);
  if (a.kind === 'edge' && b.kind === 'edge') return nodeKey(a.p) === nodeKey(b.p);
  return false;
}

/** The village containing the centre of a drawn ring (default for a new grid). */
function villageAt(villages: Feature[] | null, ring: Position[]): string | null {
  if (!villages || !ring.length) return null;
  const c: Position = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
  for (const v of villages) {
    const g = v.geometry;
    const polys = g.type === 'MultiPolygon' ? g.coordinates : g.type === 'Polygon' ? [g.coordinates] : [];
    if (polys.some((p) => pointInPolygon(c, p))) return (v.properties as { code: string }).code;
  }
  return null;
}

function Legend({ t }: { t: ReturnType<typeof useEditorT> }) {
  return (
    <div className="editor-legend">
      <span><i className="sw sw--selected" />{t('legendSelected')}</span>
      <span><i className="sw sw--edited" />{t('legendEdited')}</span>
      <span><i className="dot dot--vertex" />{t('legendVertex')}</span>
      <span><i className="dot dot--shared" />{t('legendShared')}</span>
      <span><i className="sw sw--violation" />{t('legendViolation')}</span>
    </div>
  );
}
