// Every transition of the state machine, allowed and refused, for every kind of actor.
import { describe, expect, it } from 'vitest';
import {
  allowedActions, decide, open311Status, stateActions, stateTable, STATUS_LABELS, TRANSITIONS, WORKFLOW_ACTIONS,
  type Actor, type Level, type WorkflowAction,
} from '../../server/domain/incidentWorkflow.js';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../server/schemas/incidents.js';

const admin: Actor = { kind: 'user', id: 1, name: 'a', role: 'admin', township: null };
const county: Actor = { kind: 'user', id: 2, name: 'c', role: 'dispatcher', township: null };
const townA: Actor = { kind: 'user', id: 3, name: 't', role: 'dispatcher', township: '320722001' };
const viewer: Actor = { kind: 'user', id: 4, name: 'v', role: 'viewer', township: null };
const editor: Actor = { kind: 'user', id: 5, name: 'e', role: 'editor', township: null };
const hotline: Actor = { kind: 'open311', id: 1, name: '12345' };
const device: Actor = { kind: 'device', workerId: 7, name: 'w', gridId: 10 };

// The expected table, written out by hand (状态 → 动作 → 新状态).
const EXPECTED: Record<IncidentStatus, Partial<Record<WorkflowAction, IncidentStatus>>> = {
  reported: { accept: 'accepted', return: 'returned', escalate: 'accepted', void: 'void' },
  accepted: { dispatch: 'dispatched', start: 'in_progress', return: 'returned', escalate: 'accepted', void: 'void' },
  dispatched: { start: 'in_progress', return: 'returned', escalate: 'accepted' },
  in_progress: { resolve: 'resolved', return: 'returned', escalate: 'accepted' },
  returned: { accept: 'accepted', dispatch: 'dispatched', start: 'in_progress', escalate: 'accepted', void: 'void' },
  resolved: { rate: 'rated', close: 'closed', return: 'returned' },
  rated: { close: 'closed', return: 'returned' },
  closed: {},
  void: {},
};

const state = (status: IncidentStatus, level: Level = 'village', township = '320722001', gridId = 10) => ({ status, level, township, gridId });

describe('the transition table', () => {
  it('is exactly the documented one', () => {
    expect(TRANSITIONS).toEqual(EXPECTED);
    expect(stateTable()).toHaveLength(Object.values(EXPECTED).reduce((n, r) => n + Object.keys(r).length, 0));
    for (const s of INCIDENT_STATUSES) expect(STATUS_LABELS[s]).toMatch(/\p{Script=Han}/u);
  });

  for (const from of INCIDENT_STATUSES) {
    for (const action of WORKFLOW_ACTIONS) {
      const to = EXPECTED[from][action];
      for (const level of ['village', 'township', 'county'] as Level[]) {
        const blocked = action === 'escalate' && level === 'county';
        if (to && !blocked) {
          it(`${from} —${action}→ ${to} at ${level}: allowed for admin and dispatchers`, () => {
            for (const actor of [admin, county, townA]) {
              const v = decide(state(from, level), action, actor);
              expect(v).toEqual({ ok: true, from, to, level: action === 'escalate' ? (level === 'village' ? 'township' : 'county') : level });
            }
          });
        } else {
          it(`${from} —${action}→ refused with 409 at ${level}, listing the allowed actions`, () => {
            const v = decide(state(from, level), action, county);
            expect(v.ok).toBe(false);
            if (v.ok) return;
            expect(v.status).toBe(409);
            expect(v.allowed).toEqual(stateActions(state(from, level)));
            expect(v.allowed).not.toContain(action);
          });
        }
      }
    }
  }
});

describe('who may act', () => {
  it('refuses viewers and editors with 403 for every action in every state, listing nothing', () => {
    for (const actor of [viewer, editor]) for (const s of INCIDENT_STATUSES) for (const a of WORKFLOW_ACTIONS) {
      const v = decide(state(s), a, actor);
      expect(v).toMatchObject({ ok: false, status: 403, allowed: [] });
    }
  });

  it('keeps a township dispatcher to its township; admins and county dispatchers go everywhere', () => {
    const elsewhere = state('reported', 'village', '320722002');
    expect(decide(elsewhere, 'accept', townA)).toMatchObject({ ok: false, status: 403, allowed: [] });
    expect(allowedActions(elsewhere, townA)).toEqual([]);
    expect(decide(elsewhere, 'accept', county).ok).toBe(true);
    expect(decide(elsewhere, 'accept', admin).ok).toBe(true);
    expect(decide(state('reported', 'village', null as unknown as string), 'accept', townA).ok).toBe(false);
  });

  it('lets the hotline only rate, and a grid worker\'s device only start and resolve in its own grid', () => {
    expect(decide(state('resolved'), 'rate', hotline)).toMatchObject({ ok: true, to: 'rated' });
    expect(decide(state('resolved'), 'close', hotline)).toMatchObject({ ok: false, status: 403, allowed: ['rate'] });
    expect(decide(state('reported'), 'rate', hotline)).toMatchObject({ ok: false, status: 409, allowed: [] });
    expect(decide(state('accepted'), 'start', device)).toMatchObject({ ok: true, to: 'in_progress' });
    expect(decide(state('in_progress'), 'resolve', device)).toMatchObject({ ok: true, to: 'resolved' });
    expect(decide(state('accepted'), 'dispatch', device)).toMatchObject({ ok: false, status: 403, allowed: ['start'] });
    expect(decide(state('accepted', 'village', '320722001', 11), 'start', device)).toMatchObject({ ok: false, status: 403, allowed: [] });
  });

  it('lists the allowed actions per state', () => {
    expect(allowedActions(state('reported'), county)).toEqual(['accept', 'return', 'escalate', 'void']);
    expect(allowedActions(state('accepted', 'county'), county)).toEqual(['dispatch', 'start', 'return', 'void']);
    expect(allowedActions(state('closed'), admin)).toEqual([]);
    expect(allowedActions(state('void'), admin)).toEqual([]);
  });
});

describe('Open311 status', () => {
  it('is closed only for 结案 and 作废', () => {
    for (const s of INCIDENT_STATUSES) expect(open311Status(s)).toBe(s === 'closed' || s === 'void' ? 'closed' : 'open');
  });
});
