// Vocabulary the client filters and colours by. The lists mirror the server's schemas (type-checked
// against them below) without importing the server's runtime modules into the bundle.
import type { IncidentSource, IncidentStatus } from '../../server/schemas/incidents.js';
import type { GridIndicatorName } from '../../server/schemas/grids.js';

export const INCIDENT_STATUSES = [
  'reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'rated', 'closed', 'returned', 'void',
] as const satisfies readonly IncidentStatus[];
/** Status filter values the server understands beyond the statuses themselves. */
export const STATUS_FILTERS = [...INCIDENT_STATUSES, 'open', 'overdue'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const INCIDENT_SOURCES = ['grid_worker', 'hotline', 'police_110', 'petition', 'command_center'] as const satisfies readonly IncidentSource[];
export type { IncidentSource, IncidentStatus };

export const GRID_INDICATORS = ['open_incidents', 'incidents', 'coverage', 'workers_on_duty'] as const satisfies readonly GridIndicatorName[];
export type GridIndicator = (typeof GRID_INDICATORS)[number];

/**
 * Incident categories of the demo dataset (data/generate/incidents.ts). The server has no list of
 * its own yet: categories are free text in the database, so a deployment edits this list.
 */
export const INCIDENT_CATEGORIES = [
  '环境卫生', '占道经营', '违章搭建', '道路破损', '市政设施损坏', '矛盾纠纷', '安全隐患', '消防隐患', '噪音扰民', '乱堆乱放',
  '违法广告', '园林绿化', '供水供电', '农村人居环境', '秸秆焚烧', '防汛', '食品安全', '治安隐患', '民生诉求', '政策咨询',
] as const;

/** Colour groups of incident states on the map (the legend shows these). */
export type StatusGroup = 'new' | 'handling' | 'returned' | 'done' | 'closed' | 'void';
export const STATUS_GROUPS: readonly StatusGroup[] = ['new', 'handling', 'returned', 'done', 'closed', 'void'];
export function statusGroup(status: string): StatusGroup {
  switch (status) {
    case 'reported':
    case 'accepted':
      return 'new';
    case 'dispatched':
    case 'in_progress':
      return 'handling';
    case 'returned':
      return 'returned';
    case 'resolved':
    case 'rated':
      return 'done';
    case 'closed':
      return 'closed';
    default:
      return 'void';
  }
}

export const CAMERA_KINDS = ['xueliang', 'cuncuntong', 'public'] as const;
export type CameraKind = (typeof CAMERA_KINDS)[number];

export const WORKER_STATES = ['patrolling', 'idle', 'outside', 'offline'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];
