// The deck.gl layers of the editor, built from the page state (pure: same input, same layers).
import { GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, Geometry, Polygon, Position } from 'geojson';
import type { Theme, RGBA } from '../theme.js';
import type { GridInfo } from './coverageModel.js';
import type { PolygonCoords, Snap } from './topology.js';

export const COLORS = {
  editedFill: [245, 158, 11, 90] as RGBA,
  editedLine: [217, 119, 6, 255] as RGBA,
  selectedFill: [37, 99, 235, 50] as RGBA,
  selectedLine: [29, 78, 216, 255] as RGBA,
  mergeFill: [147, 51, 234, 90] as RGBA,
  mergeLine: [126, 34, 206, 255] as RGBA,
  vertex: [255, 255, 255, 255] as RGBA,
  vertexLine: [29, 78, 216, 255] as RGBA,
  shared: [250, 204, 21, 255] as RGBA,
  sharedLine: [120, 53, 15, 255] as RGBA,
  activeVertex: [220, 38, 38, 255] as RGBA,
  neighbourNode: [71, 85, 105, 200] as RGBA,
  snap: [219, 39, 119, 255] as RGBA,
  ghost: [22, 163, 74, 255] as RGBA,
  violationFill: [220, 38, 38, 80] as RGBA,
  violationLine: [185, 28, 28, 255] as RGBA,
  draw: [219, 39, 119, 255] as RGBA,
  compareOld: [100, 116, 139, 230] as RGBA,
  compareNew: [220, 38, 38, 255] as RGBA,
  partA: [13, 148, 136, 110] as RGBA,
  partB: [234, 88, 12, 110] as RGBA,
  village: [71, 85, 105, 150] as RGBA,
  // Neutral grid fills: colour is reserved for what the editor says (selected, edited, problems).
  urbanFill: [148, 163, 184, 70] as RGBA,
  ruralFill: [203, 213, 225, 45] as RGBA,
  gridLine: [71, 85, 105, 200] as RGBA,
};

export interface VertexMark {
  position: Position;
  /** grids having this node */
  shared: number;
  active: boolean;
}

export interface LayerInput {
  theme: Theme;
  grids: Feature<Polygon, GridInfo>[];
  villages: Feature[] | null;
  edited: ReadonlySet<number>;
  selectedId: number | null;
  mergeIds: readonly number[];
  vertices: VertexMark[];
  neighbourNodes: Position[];
  /** Grids as they would be while a vertex is dragged. */
  dragPreview: Feature<Polygon>[] | null;
  snap: Snap | null;
  ghost: Position | null;
  violations: Feature<Geometry>[];
  drawLine: Position[];
  drawClosed: boolean;
  cursor: Position | null;
  compare: { older: Polygon; newer: Polygon } | null;
  splitParts: [PolygonCoords, PolygonCoords] | null;
  zoom: number;
}

export function editorLayers(s: LayerInput): Layer[] {
  const edited = s.edited;
  const merge = new Set(s.mergeIds);
  const triggers = [s.selectedId, s.mergeIds.join(','), [...edited].join(',')];
  const layers: Layer[] = [
    new GeoJsonLayer<GridInfo>({
      id: 'editor-grids',
      data: s.grids,
      filled: true,
      stroked: true,
      pickable: false,
      getFillColor: (f) => {
        const id = f.properties.id;
        if (merge.has(id)) return COLORS.mergeFill;
        if (id === s.selectedId) return COLORS.selectedFill;
        if (edited.has(id)) return COLORS.editedFill;
        return f.properties.kind === 'urban' ? COLORS.urbanFill : COLORS.ruralFill;
      },
      getLineColor: (f) => (edited.has(f.properties.id) ? COLORS.editedLine : COLORS.gridLine),
      getLineWidth: (f) => (edited.has(f.properties.id) ? 2 : 1),
      lineWidthUnits: 'pixels',
      updateTriggers: { getFillColor: triggers, getLineColor: triggers, getLineWidth: triggers },
    }),
  ];
  if (s.villages) {
    layers.push(new GeoJsonLayer({
      id: 'editor-villages',
      data: s.villages,
      filled: false,
      stroked: true,
      getLineColor: COLORS.village,
      getLineWidth: s.zoom >= 12 ? 2 : 1,
      lineWidthUnits: 'pixels',
      updateTriggers: { getLineWidth: [s.zoom >= 12] },
    }));
  }
  const outline = (id: string, features: Feature[], line: RGBA, width: number, fill: RGBA | null = null) =>
    new GeoJsonLayer({
      id, data: features, filled: Boolean(fill), stroked: true, getFillColor: fill ?? [0, 0, 0, 0], getLineColor: line, getLineWidth: width,
      lineWidthUnits: 'pixels', pointType: 'circle', getPointRadius: 9, pointRadiusUnits: 'pixels',
    });
  const mergeFeatures = s.grids.filter((f) => merge.has(f.properties.id));
  if (mergeFeatures.length) layers.push(outline('editor-merge', mergeFeatures, COLORS.mergeLine, 3));
  const selected = s.selectedId === null ? null : s.grids.find((f) => f.properties.id === s.selectedId);
  if (selected) layers.push(outline('editor-selected', [selected], COLORS.selectedLine, 3));
  if (s.splitParts) {
    layers.push(new GeoJsonLayer({
      id: 'editor-split-parts',
      data: s.splitParts.map((coordinates, i) => ({ type: 'Feature' as const, properties: { i }, geometry: { type: 'Polygon' as const, coordinates } })),
      filled: true, stroked: true, getFillColor: (f: Feature) => ((f.properties as { i: number }).i === 0 ? COLORS.partA : COLORS.partB),
      getLineColor: [255, 255, 255, 255], getLineWidth: 2, lineWidthUnits: 'pixels',
    }));
  }
  if (s.compare) {
    layers.push(outline('editor-compare-older', [{ type: 'Feature', properties: {}, geometry: s.compare.older }], COLORS.compareOld, 7));
    layers.push(outline('editor-compare-newer', [{ type: 'Feature', properties: {}, geometry: s.compare.newer }], COLORS.compareNew, 2));
  }
  if (s.dragPreview?.length) layers.push(outline('editor-drag-preview', s.dragPreview, COLORS.editedLine, 3, [245, 158, 11, 35]));
  if (s.violations.length) {
    layers.push(new GeoJsonLayer({
      id: 'editor-violations', data: s.violations, filled: true, stroked: true,
      getFillColor: COLORS.violationFill, getLineColor: COLORS.violationLine, getLineWidth: 2, lineWidthUnits: 'pixels',
      pointType: 'circle', getPointRadius: 11, pointRadiusUnits: 'pixels', lineWidthMinPixels: 2,
    }));
  }
  if (s.neighbourNodes.length) {
    layers.push(new ScatterplotLayer<Position>({
      id: 'editor-neighbour-nodes', data: s.neighbourNodes, getPosition: (p) => p as [number, number],
      getRadius: 2.5, radiusUnits: 'pixels', getFillColor: COLORS.neighbourNode,
    }));
  }
  if (s.vertices.length) {
    layers.push(new ScatterplotLayer<VertexMark>({
      id: 'editor-vertices', data: s.vertices, getPosition: (v) => v.position as [number, number],
      getRadius: (v) => (v.active ? 7 : v.shared > 1 ? 5.5 : 4.5), radiusUnits: 'pixels',
      stroked: true, getLineWidth: 1.5, lineWidthUnits: 'pixels',
      getFillColor: (v) => (v.active ? COLORS.activeVertex : v.shared > 1 ? COLORS.shared : COLORS.vertex),
      getLineColor: (v) => (v.shared > 1 ? COLORS.sharedLine : COLORS.vertexLine),
    }));
  }
  if (s.drawLine.length) {
    const path = s.cursor ? [...s.drawLine, s.cursor] : s.drawLine;
    const closed = s.drawClosed && path.length > 2 ? [...path, path[0]] : path;
    layers.push(new PathLayer<Position[]>({
      id: 'editor-draw-line', data: [closed], getPath: (p) => p as [number, number][], getColor: COLORS.draw, getWidth: 2.5, widthUnits: 'pixels',
    }));
    layers.push(new ScatterplotLayer<Position>({
      id: 'editor-draw-points', data: s.drawLine, getPosition: (p) => p as [number, number], getRadius: 4.5, radiusUnits: 'pixels',
      getFillColor: [255, 255, 255, 255], stroked: true, getLineColor: COLORS.draw, getLineWidth: 2, lineWidthUnits: 'pixels',
    }));
  }
  if (s.ghost) {
    layers.push(new ScatterplotLayer<Position>({
      id: 'editor-ghost', data: [s.ghost], getPosition: (p) => p as [number, number], getRadius: 6, radiusUnits: 'pixels',
      getFillColor: [255, 255, 255, 230], stroked: true, getLineColor: COLORS.ghost, getLineWidth: 2.5, lineWidthUnits: 'pixels',
    }));
  }
  if (s.snap) {
    layers.push(new ScatterplotLayer<Snap>({
      id: 'editor-snap', data: [s.snap], getPosition: (p) => p.position as [number, number], getRadius: 11, radiusUnits: 'pixels',
      filled: false, stroked: true, getLineColor: COLORS.snap, getLineWidth: 3, lineWidthUnits: 'pixels',
    }));
  }
  return layers;
}
