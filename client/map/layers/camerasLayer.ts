// Cameras (GET /api/cameras): 雪亮工程 / 村村通 / 社会面, online or offline.
//
// ~3,600 cameras over a county do not fit as icons: below CAMERA_CLUSTER_MAX_ZOOM they are
// clustered in screen space (cluster.ts, per integer zoom, cached, so the data array changes only
// when the integer zoom does) and drawn as counted circles; a cluster of one is drawn as its icon.
// From CAMERA_CLUSTER_MAX_ZOOM on every camera is an icon by kind and status (iconAtlas.ts), and
// from CAMERA_CONE_MIN_ZOOM on its field of view is drawn as a cone (viewCone.ts).
import { IconLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { CameraFeature } from '../../api/client.js';
import type { Theme } from '../../theme.js';
import { clusterPoints, type Cluster } from '../cluster.js';
import type { MapCrs } from '../crs.js';
import { cameraIconAtlas, iconName } from '../iconAtlas.js';
import { viewCone } from '../viewCone.js';

export const CAMERA_LAYER_IDS = {
  cones: 'camera-cones',
  clusters: 'camera-clusters',
  clusterCounts: 'camera-cluster-counts',
  icons: 'cameras',
} as const;
export const CAMERA_CLUSTER_MAX_ZOOM = 15;
export const CAMERA_CONE_MIN_ZOOM = 15;
export const CAMERA_CLUSTER_RADIUS_PX = 64;

export interface CameraPoint {
  camera: CameraFeature['properties'];
  /** Map coordinates. */
  position: [number, number];
}

export type CameraCluster = Cluster<CameraPoint>;

export interface CameraView {
  clusters: CameraCluster[];
  singles: CameraPoint[];
}

export function prepareCameras(features: readonly CameraFeature[], crs: MapCrs): CameraPoint[] {
  return features.map((f) => {
    const [lon, lat] = f.geometry.coordinates;
    return { camera: f.properties, position: crs.toMap(lon, lat) };
  });
}

const viewCache = new WeakMap<readonly CameraPoint[], Map<string, CameraView>>();

/**
 * Clusters (2+ cameras) and single cameras at this zoom; the same objects for the same integer
 * zoom. `pixelScale` > 1 (a 4K wall shows the county one zoom level closer) widens the radius so
 * the wall clusters as a 1080p screen does.
 */
export function cameraView(points: readonly CameraPoint[], zoom: number, pixelScale = 1): CameraView {
  const z = zoom >= CAMERA_CLUSTER_MAX_ZOOM ? CAMERA_CLUSTER_MAX_ZOOM : Math.floor(zoom);
  const radius = Math.round(CAMERA_CLUSTER_RADIUS_PX * pixelScale);
  let byZoom = viewCache.get(points);
  if (!byZoom) {
    byZoom = new Map();
    viewCache.set(points, byZoom);
  }
  const key = `${z}:${radius}`;
  let view = byZoom.get(key);
  if (!view) {
    if (z >= CAMERA_CLUSTER_MAX_ZOOM) {
      view = { clusters: [], singles: points as CameraPoint[] };
    } else {
      const all = clusterPoints(points, (p) => p.position, z, radius);
      view = { clusters: all.filter((c) => c.members.length > 1), singles: all.filter((c) => c.members.length === 1).map((c) => c.members[0]) };
    }
    byZoom.set(key, view);
  }
  return view;
}

export interface ConePolygon {
  camera: CameraFeature['properties'];
  polygon: Array<[number, number]>;
}

const coneCache = new WeakMap<readonly CameraPoint[], ConePolygon[]>();

/** View cones of every camera, computed once per data (in map coordinates, around the shifted point). */
export function cameraCones(points: readonly CameraPoint[]): ConePolygon[] {
  let cones = coneCache.get(points);
  if (!cones) {
    cones = points.map((p) => ({
      camera: p.camera,
      polygon: viewCone(p.position[0], p.position[1], p.camera.heading, p.camera.fov, p.camera.rangeM),
    }));
    coneCache.set(points, cones);
  }
  return cones;
}

export interface CamerasLayerOptions {
  theme: Theme;
  visible?: boolean;
  zoom: number;
  pixelScale?: number;
  onCameraClick?: (camera: CameraFeature['properties'], info: PickingInfo) => void;
  onClusterClick?: (cluster: CameraCluster, info: PickingInfo) => void;
}

export const clusterRadius = (n: number) => 7.5 + 2.4 * Math.log2(n);

export function camerasLayer(points: readonly CameraPoint[], options: CamerasLayerOptions): Layer[] {
  const { theme, visible = true, zoom, pixelScale = 1, onCameraClick, onClusterClick } = options;
  const view = cameraView(points, zoom, pixelScale);
  const atlas = cameraIconAtlas(theme);
  const showCones = visible && zoom >= CAMERA_CONE_MIN_ZOOM;
  const c = theme.cameras;
  const layers: Layer[] = [
    new PolygonLayer<ConePolygon>({
      id: CAMERA_LAYER_IDS.cones,
      // Computed only once the cones are first shown.
      data: showCones ? cameraCones(points) : [],
      visible: showCones,
      getPolygon: (d) => d.polygon,
      // The kind's colour, faint; offline cameras grey.
      getFillColor: (d) => {
        const k = d.camera.status === 'online' ? c[d.camera.kind] : c.offline;
        return [k[0], k[1], k[2], c.cone[3]];
      },
      getLineColor: (d) => {
        const k = d.camera.status === 'online' ? c[d.camera.kind] : c.offline;
        return [k[0], k[1], k[2], c.coneLine[3]];
      },
      getLineWidth: 1,
      lineWidthUnits: 'pixels',
      stroked: true,
      filled: true,
      pickable: false,
      updateTriggers: { getFillColor: [theme.name], getLineColor: [theme.name] },
    }),
    new ScatterplotLayer<CameraCluster>({
      id: CAMERA_LAYER_IDS.clusters,
      data: view.clusters,
      visible,
      getPosition: (d) => d.position,
      getRadius: (d) => clusterRadius(d.members.length) * pixelScale,
      radiusUnits: 'pixels',
      getFillColor: c.cluster,
      getLineColor: c.clusterRing,
      getLineWidth: 1.25 * pixelScale,
      lineWidthUnits: 'pixels',
      stroked: true,
      pickable: true,
      onClick: onClusterClick ? (info) => info.object && onClusterClick(info.object as CameraCluster, info) : undefined,
      updateTriggers: { getRadius: [pixelScale], getLineWidth: [pixelScale] },
    }),
    new TextLayer<CameraCluster>({
      id: CAMERA_LAYER_IDS.clusterCounts,
      data: view.clusters,
      visible,
      getPosition: (d) => d.position,
      getText: (d) => String(d.members.length),
      getSize: (d) => (d.members.length >= 100 ? 10 : 11) * pixelScale,
      sizeUnits: 'pixels',
      getColor: c.clusterText,
      characterSet: '0123456789',
      fontWeight: 'bold',
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      updateTriggers: { getSize: [pixelScale] },
    }),
  ];
  if (atlas) {
    layers.push(
      new IconLayer<CameraPoint>({
        id: CAMERA_LAYER_IDS.icons,
        data: view.singles,
        visible,
        iconAtlas: atlas.url,
        iconMapping: atlas.mapping,
        getIcon: (d) => iconName(d.camera.kind, d.camera.status === 'online'),
        getPosition: (d) => d.position,
        getSize: (zoom >= CAMERA_CONE_MIN_ZOOM ? 24 : 18) * pixelScale,
        sizeUnits: 'pixels',
        pickable: true,
        onClick: onCameraClick ? (info) => info.object && onCameraClick((info.object as CameraPoint).camera, info) : undefined,
        updateTriggers: { getIcon: [theme.name] },
      }),
    );
  }
  return layers;
}
