// The incident state machine (上报 → 受理 → 派遣 → 处置中 → 办结 → 评价 → 结案, plus 退回, 升级, 作废):
// which action leads from which state to which, who may run it, and the Chinese names the UI shows.
// Pure: no database, no clock. The service (server/routes/incidentWorkflow.ts) applies its verdicts.
import type { IncidentStatus } from '../schemas/incidents.js';

export const WORKFLOW_ACTIONS = ['accept', 'dispatch', 'start', 'resolve', 'rate', 'close', 'return', 'escalate', 'void'] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

export const LEVELS = ['village', 'township', 'county'] as const;
export type Level = (typeof LEVELS)[number];

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  reported: '上报', accepted: '受理', dispatched: '派遣', in_progress: '处置中', resolved: '办结',
  rated: '评价', closed: '结案', returned: '退回', void: '作废',
};
export const ACTION_LABELS: Record<WorkflowAction | 'report', string> = {
  report: '上报', accept: '受理', dispatch: '派遣', start: '开始处置', resolve: '办结', rate: '评价',
  close: '结案', return: '退回', escalate: '升级', void: '作废',
};
export const LEVEL_LABELS: Record<Level, string> = { village: '村（社区）', township: '镇（街道）', county: '县级部门' };

/**
 * The transition table. `to` of escalate is 'accepted': the level above takes the case in and
 * decides anew (dispatch, handle it itself, or escalate again). Escalation needs a level above.
 */
export const TRANSITIONS: Record<IncidentStatus, Partial<Record<WorkflowAction, IncidentStatus>>> = {
  reported:    { accept: 'accepted', return: 'returned', escalate: 'accepted', void: 'void' },
  accepted:    { dispatch: 'dispatched', start: 'in_progress', return: 'returned', escalate: 'accepted', void: 'void' },
  dispatched:  { start: 'in_progress', return: 'returned', escalate: 'accepted' },
  in_progress: { resolve: 'resolved', return: 'returned', escalate: 'accepted' },
  returned:    { accept: 'accepted', dispatch: 'dispatched', start: 'in_progress', escalate: 'accepted', void: 'void' },
  resolved:    { rate: 'rated', close: 'closed', return: 'returned' },
  rated:       { close: 'closed', return: 'returned' },
  closed:      {},
  void:        {},
};

/** Who is acting: a logged-in user, a connected Open311 system, a grid worker's device, the system. */
export type Actor =
  | { kind: 'user'; id: number; name: string; role: 'viewer' | 'dispatcher' | 'editor' | 'admin'; township: string | null }
  | { kind: 'open311'; id: number; name: string }
  | { kind: 'device'; workerId: number; name: string; gridId: number | null }
  | { kind: 'system'; name: string };

/** What the machine needs to know about the incident. */
export interface WorkflowState {
  status: IncidentStatus;
  level: Level;
  /** township code the incident lies in (recorded at report time) */
  township: string | null;
  /** grid recorded at report time (device scope) */
  gridId?: number | null;
}

/** Actions each kind of actor may run at all (before looking at the state). */
const ACTOR_ACTIONS: Record<'workflow' | 'open311' | 'device' | 'none', readonly WorkflowAction[]> = {
  workflow: WORKFLOW_ACTIONS,
  // citizens rate through the hotline
  open311: ['rate'],
  // a grid worker handles what is in its own grid
  device: ['start', 'resolve'],
  none: [],
};

function actorClass(actor: Actor): keyof typeof ACTOR_ACTIONS {
  if (actor.kind === 'user') return actor.role === 'dispatcher' || actor.role === 'admin' ? 'workflow' : 'none';
  if (actor.kind === 'system') return 'workflow';
  return actor.kind;
}

/** Whether the actor's scope covers the incident (a township dispatcher: only its township). */
export function inScope(actor: Actor, s: WorkflowState): boolean {
  if (actor.kind === 'user') return actor.role === 'admin' || actor.township === null || actor.township === s.township;
  if (actor.kind === 'device') return actor.gridId !== null && actor.gridId === s.gridId;
  return true;
}

export function nextLevel(level: Level): Level | null {
  const i = LEVELS.indexOf(level);
  return i < LEVELS.length - 1 ? LEVELS[i + 1] : null;
}

/** Actions the state allows, whoever asks. */
export function stateActions(s: WorkflowState): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((a) => TRANSITIONS[s.status][a] !== undefined && (a !== 'escalate' || nextLevel(s.level) !== null));
}

/** Actions this actor may run on this incident now. */
export function allowedActions(s: WorkflowState, actor: Actor): WorkflowAction[] {
  if (!inScope(actor, s)) return [];
  const mine = ACTOR_ACTIONS[actorClass(actor)];
  return stateActions(s).filter((a) => mine.includes(a));
}

export type Verdict =
  | { ok: true; from: IncidentStatus; to: IncidentStatus; level: Level }
  /** 409: the state does not allow it (allowed = what the state allows this actor) */
  | { ok: false; status: 409; reason: string; allowed: WorkflowAction[] }
  /** 403: the actor may not (role or scope); allowed = what this actor may do here */
  | { ok: false; status: 403; reason: string; allowed: WorkflowAction[] };

/**
 * Checks one action. The role/scope check comes first when the actor may do nothing at all here
 * (a viewer never learns more than "not you"); otherwise a state that does not allow the action is
 * a 409 and an action the state allows but the actor may not run is a 403.
 */
export function decide(s: WorkflowState, action: WorkflowAction, actor: Actor): Verdict {
  const allowed = allowedActions(s, actor);
  const cls = actorClass(actor);
  if (cls === 'none') {
    return { ok: false, status: 403, reason: `role ${actor.kind === 'user' ? actor.role : actor.kind} may not run the incident workflow; needs dispatcher or admin`, allowed };
  }
  if (!inScope(actor, s)) {
    return { ok: false, status: 403, reason: actor.kind === 'device' ? 'incident is outside the device\'s grid' : `incident is outside your township (${actor.kind === 'user' ? actor.township : ''})`, allowed };
  }
  const fromState = stateActions(s);
  if (!fromState.includes(action)) {
    const why = action === 'escalate' && TRANSITIONS[s.status].escalate ? `already at the top level (${s.level})` : `not allowed from ${s.status} (${STATUS_LABELS[s.status]})`;
    return { ok: false, status: 409, reason: `${action}: ${why}`, allowed };
  }
  if (!allowed.includes(action)) {
    return { ok: false, status: 403, reason: `${action}: not allowed for ${actor.kind === 'user' ? `role ${actor.role}` : actor.kind}`, allowed };
  }
  const to = TRANSITIONS[s.status][action]!;
  const level = action === 'escalate' ? nextLevel(s.level)! : s.level;
  return { ok: true, from: s.status, to, level };
}

/** Open311 has two states: open until 结案 or 作废. */
export function open311Status(status: IncidentStatus): 'open' | 'closed' {
  return status === 'closed' || status === 'void' ? 'closed' : 'open';
}

/** The state table, for documentation and the UI. */
export function stateTable(): Array<{ from: IncidentStatus; fromLabel: string; action: WorkflowAction; actionLabel: string; to: IncidentStatus; toLabel: string }> {
  const out = [];
  for (const [from, row] of Object.entries(TRANSITIONS) as [IncidentStatus, Partial<Record<WorkflowAction, IncidentStatus>>][]) {
    for (const [action, to] of Object.entries(row) as [WorkflowAction, IncidentStatus][]) {
      out.push({ from, fromLabel: STATUS_LABELS[from], action, actionLabel: ACTION_LABELS[action], to, toLabel: STATUS_LABELS[to] });
    }
  }
  return out;
}
