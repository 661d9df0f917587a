// The live hub: socket.io clients subscribe to what they show (the county, a township, a box);
// committed position updates are collected and sent on a short tick, each client getting only its
// view. With several server processes the updates are shared through the socket.io adapter.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type pg from 'pg';
import { Value } from 'typebox/value';
import { LIVE_STATES, SUBSCRIPTION_VARIANTS, type Subscription, type LiveEvent, type LiveWorkerTuple } from '../schemas/live.js';
import type { StatusUpdate, WorkerEvent } from './positionWriter.js';
import type { GridIndex } from './gridIndex.js';
import { LATEST_FROM, latestWhere } from './latestStatus.js';

const STATE_INDEX = new Map(LIVE_STATES.map((s, i) => [s, i]));
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

export function toTuple(u: StatusUpdate): LiveWorkerTuple {
  return [u.workerId, round6(u.lon), round6(u.lat), u.ts.getTime(), STATE_INDEX.get(u.state)!, u.speed, u.heading, u.gridId, u.assignedGridId];
}
export function toLiveEvent(e: WorkerEvent): LiveEvent {
  return { workerId: e.workerId, kind: e.kind, time: e.ts.toISOString(), gridId: e.gridId, lon: round6(e.lon), lat: round6(e.lat) };
}

/**
 * Clients showing the same view (the same township, the same box) share one group: its updates are
 * filtered once and encoded once per tick, sent to the group's socket.io room. `known` holds every
 * worker any member may be showing, so that leaving the view is announced (`gone`) to all of them.
 */
interface ViewGroup { key: string; room: string; sub: Subscription; known: Set<number>; members: Set<string> }

function viewKey(sub: Subscription): string {
  return sub.scope === 'township' ? `township:${sub.township}` : sub.scope === 'bbox' ? `bbox:${sub.bbox.join(',')}` : 'county';
}

/** Where a worker is, for matching against views: position, its grid's township, its assigned grid's township. */
interface Located { tuple: LiveWorkerTuple; township?: string; assignedTownship?: string }

export interface HubOptions {
  tickMs: number;
  timezone: string;
  /** Run before each tick (the patrol state commit), so a tick sends what was committed just before it. */
  beforeTick?: () => Promise<void>;
  /** A tick that failed (logged by the caller). */
  onError?: (err: unknown) => void;
}

export class LiveHub {
  readonly io: Server;
  private groups = new Map<string, ViewGroup>();
  /** socket id → the key of the group it is in (county clients are in the `county` room instead). */
  private memberOf = new Map<string, string>();
  private pending = new Map<number, LiveWorkerTuple>();
  private pendingEvents: LiveEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly clustered: boolean;
  /** Groups of clients sharing a view (township or box), for the metrics. */
  get viewGroups(): number { return this.groups.size; }
  /** Messages sent, for the benchmarks. */
  stats = { ticks: 0, messages: 0 };

  constructor(httpServer: HttpServer, private pool: pg.Pool, private grids: GridIndex, private opts: HubOptions,
    adapter?: Parameters<Server['adapter']>[0]) {
    this.io = new Server(httpServer, {
      path: '/socket.io',
      // Websocket only: no sticky sessions needed behind a load balancer with several servers.
      transports: ['websocket'],
      serveClient: false,
      ...(adapter ? { adapter } : {}),
    });
    this.clustered = Boolean(adapter);
    this.io.on('connection', (socket) => this.onConnection(socket));
    // Updates committed by other server processes.
    this.io.on('live', (tuples: LiveWorkerTuple[], events: LiveEvent[]) => this.enqueue(tuples, events));
    this.io.on('incident', (msg: object) => this.publishIncident(msg, true));
    this.schedule(opts.tickMs);
  }

  /**
   * One loop does the state commit and then the tick: a position waits at most one tick plus one
   * state commit before it is sent (two independent timers would add their periods).
   */
  private schedule(delay: number) {
    if (this.closed) return;
    this.timer = setTimeout(async () => {
      const started = Date.now();
      try {
        if (this.opts.beforeTick) await this.opts.beforeTick();
        this.tick();
      } catch (err) {
        // one failed tick must not stop the live channel: the next one sends what is pending
        this.opts.onError?.(err);
      } finally {
        this.schedule(Math.max(0, this.opts.tickMs - (Date.now() - started)));
      }
    }, delay);
    this.timer.unref();
  }

  /** Called after a commit on this process. */
  publish(updates: StatusUpdate[], events: WorkerEvent[]) {
    const tuples = updates.map(toTuple);
    const evs = events.map(toLiveEvent);
    this.enqueue(tuples, evs);
    if (this.clustered) this.io.serverSideEmit('live', tuples, evs);
  }

  /** An incident was reported or changed state: sent at once to every client whose view holds it (and to other processes). */
  publishIncident(msg: object, fromPeer = false) {
    this.io.local.to('county').emit('incident', msg);
    // a township's or a box's screens only get the incidents in their view
    const m = msg as { township?: string; lon?: number; lat?: number };
    for (const group of this.groups.values()) {
      const sub = group.sub;
      const inView = sub.scope === 'township' ? m.township === sub.township
        : sub.scope === 'bbox' ? m.lon !== undefined && m.lat !== undefined && m.lon >= sub.bbox[0] && m.lon <= sub.bbox[2] && m.lat >= sub.bbox[1] && m.lat <= sub.bbox[3]
          : true;
      if (inView) this.io.local.to(group.room).emit('incident', msg);
    }
    if (this.clustered && !fromPeer) this.io.serverSideEmit('incident', msg);
  }

  private enqueue(tuples: LiveWorkerTuple[], events: LiveEvent[]) {
    for (const t of tuples) {
      const prev = this.pending.get(t[0]);
      if (!prev || prev[3] <= t[3]) this.pending.set(t[0], t);
    }
    if (events.length) this.pendingEvents.push(...events);
  }

  private locate(t: LiveWorkerTuple): Located {
    return { tuple: t, township: this.grids.townshipOf(t[7]), assignedTownship: this.grids.townshipOf(t[8]) };
  }

  private inView(sub: Subscription, l: Located): boolean {
    if (sub.scope === 'county') return true;
    if (sub.scope === 'township') return l.township === sub.township || l.assignedTownship === sub.township;
    const [minX, minY, maxX, maxY] = sub.bbox;
    const [, x, y] = l.tuple;
    return x >= minX && x <= maxX && y >= minY && y <= maxY;
  }

  private eventInView(sub: Subscription, e: LiveEvent): boolean {
    if (sub.scope === 'county') return true;
    if (sub.scope === 'township') return this.grids.townshipOf(e.gridId) === sub.township;
    const [minX, minY, maxX, maxY] = sub.bbox;
    return e.lon >= minX && e.lon <= maxX && e.lat >= minY && e.lat <= maxY;
  }

  tick() {
    if (!this.pending.size && !this.pendingEvents.length) return;
    const located = [...this.pending.values()].map((t) => this.locate(t));
    const events = this.pendingEvents;
    this.pending = new Map();
    this.pendingEvents = [];
    const at = new Date().toISOString();
    this.stats.ticks++;
    // The whole county: one message encoded once for every such client.
    const county = this.io.local.to('county');
    if (located.length) county.emit('positions', { at, workers: located.map((l) => l.tuple) });
    if (events.length) county.emit('events', events);
    for (const group of this.groups.values()) {
      const workers: LiveWorkerTuple[] = [];
      const gone: number[] = [];
      for (const l of located) {
        const id = l.tuple[0];
        if (this.inView(group.sub, l)) { workers.push(l.tuple); group.known.add(id); }
        else if (group.known.delete(id)) gone.push(id);
      }
      const room = this.io.local.to(group.room);
      if (workers.length || gone.length) { room.emit('positions', gone.length ? { at, workers, gone } : { at, workers }); this.stats.messages++; }
      const evs = events.filter((e) => this.eventInView(group.sub, e));
      if (evs.length) room.emit('events', evs);
    }
  }

  private leaveGroup(socket: Socket) {
    const key = this.memberOf.get(socket.id);
    if (key === undefined) return;
    this.memberOf.delete(socket.id);
    const group = this.groups.get(key);
    if (!group) return;
    socket.leave(group.room);
    group.members.delete(socket.id);
    if (!group.members.size) this.groups.delete(key);
  }

  private onConnection(socket: Socket) {
    socket.on('subscribe', async (raw: unknown, ack?: (r: unknown) => void) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      // Check against the variant its scope names, so the error speaks of the right field.
      const scope = raw && typeof raw === 'object' ? (raw as { scope?: unknown }).scope : undefined;
      const variant = SUBSCRIPTION_VARIANTS.find((v) => v.properties.scope.const === scope);
      if (!variant) return reply({ ok: false, error: 'subscription.scope: must be county, township or bbox' });
      if (!Value.Check(variant, raw)) {
        const err = [...Value.Errors(variant, raw)][0];
        const field = (err?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
        return reply({ ok: false, error: `subscription${field ? `.${field}` : ''}: ${err?.message ?? 'invalid'}` });
      }
      const sub = raw as Subscription;
      if (sub.scope === 'bbox' && (sub.bbox[0] > sub.bbox[2] || sub.bbox[1] > sub.bbox[3])) {
        return reply({ ok: false, error: 'subscription.bbox: min greater than max' });
      }
      socket.leave('county');
      this.leaveGroup(socket);
      let group: ViewGroup | undefined;
      if (sub.scope === 'county') socket.join('county');
      else {
        const key = viewKey(sub);
        group = this.groups.get(key);
        if (!group) this.groups.set(key, group = { key, room: `view:${key}`, sub, known: new Set(), members: new Set() });
        group.members.add(socket.id);
        this.memberOf.set(socket.id, key);
        socket.join(group.room);
      }
      try {
        const snapshot = await this.snapshot(sub);
        if (group) for (const t of snapshot.workers) group.known.add(t[0]);
        socket.emit('snapshot', snapshot);
        reply({ ok: true, at: snapshot.at, workers: snapshot.workers.length, full: snapshot.full });
      } catch {
        reply({ ok: false, error: 'snapshot failed, retry' });
      }
    });
    socket.on('disconnect', () => this.leaveGroup(socket));
  }

  /** Latest state of every worker in view, or only what changed since `since` after a reconnect. */
  async snapshot(sub: Subscription) {
    const at = new Date();
    const params: unknown[] = [];
    // A few seconds back: a transaction that began before the cursor may have committed after it.
    const where = latestWhere({
      since: sub.since ? new Date(new Date(sub.since).getTime() - 5000) : undefined,
      township: sub.scope === 'township' ? sub.township : undefined,
      bbox: sub.scope === 'bbox' ? sub.bbox : undefined,
    }, params);
    const { rows } = await this.pool.query(`
      SELECT s.worker_id, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, floor(extract(epoch FROM s.ts) * 1000)::bigint AS t,
             s.state, s.speed, s.heading, s.grid_id, w.grid_id AS assigned
      FROM ${LATEST_FROM} ${where}
      ORDER BY s.worker_id`, params);
    const workers: LiveWorkerTuple[] = rows.map((r) => [r.worker_id, round6(r.lon), round6(r.lat), r.t, STATE_INDEX.get(r.state)!, r.speed, r.heading, r.grid_id, r.assigned]);
    return { at: at.toISOString(), full: !sub.since, workers };
  }

  async close() {
    this.closed = true;
    clearTimeout(this.timer);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
