// One simulated grid worker: walks between random waypoints inside its grid at walking or e-bike
// speed, pauses at each, sometimes strays into a neighbouring grid, sometimes goes silent (phone off).
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Polygon } from 'geojson';
import { Rng } from '../../data/generate/random.js';

export interface WalkerSpec {
  workerId: number;
  deviceId: string;
  grid: Polygon;
  /** Neighbouring grids a worker may stray into. */
  neighbours: Polygon[];
  /** Local shift, minutes after midnight. */
  shiftStart: number;
  shiftEnd: number;
}

export interface Fix { lon: number; lat: number; speed: number; heading: number; accuracy: number; battery: number }

const M_PER_DEG_LAT = 111_320;
/** Mean seconds of reporting between two quiet spells of a phone. */
const QUIET_EVERY_S = 6 * 3600;

function randomPointIn(poly: Polygon, rng: Rng): [number, number] {
  const ring = poly.coordinates[0];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of ring) { minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y); }
  for (let i = 0; i < 200; i++) {
    const p: [number, number] = [rng.range(minX, maxX), rng.range(minY, maxY)];
    if (booleanPointInPolygon(p, poly)) return p;
  }
  return ring[0] as [number, number];
}

export class Walker {
  lon: number;
  lat: number;
  private target: [number, number];
  private pauseUntil = 0;
  private silentUntil = 0;
  private strayUntil = 0;
  private speed: number;
  private heading = 0;
  private battery: number;
  private rng: Rng;

  constructor(readonly spec: WalkerSpec, seed: number) {
    this.rng = Rng.derive(seed, `walker-${spec.workerId}`);
    [this.lon, this.lat] = randomPointIn(spec.grid, this.rng);
    this.target = randomPointIn(spec.grid, this.rng);
    // most walk, some ride an e-bike
    this.speed = this.rng.chance(0.3) ? this.rng.range(3.5, 5.5) : this.rng.range(1.0, 1.5);
    this.battery = this.rng.range(55, 100);
  }

  /** Is the worker on shift at this local minute of the day? */
  onShift(localMinute: number): boolean {
    const { shiftStart: a, shiftEnd: b } = this.spec;
    return a <= b ? localMinute >= a && localMinute < b : localMinute >= a || localMinute < b;
  }

  /** Advances `dt` seconds of simulated time at `now` ms; returns a fix to report, or null when silent. */
  step(dt: number, now: number): Fix | null {
    const rng = this.rng;
    if (now < this.silentUntil) return null;
    // About once in 6 hours of reporting the phone goes quiet for 15–60 minutes (dead zone, battery,
    // switched off): some 7 % of the workers on shift show as offline at any time, as on a real screen.
    if (rng.chance(dt / QUIET_EVERY_S)) { this.silentUntil = now + rng.range(15, 60) * 60_000; return null; }
    let moving = 0;
    if (now >= this.pauseUntil) {
      const dx = (this.target[0] - this.lon) * M_PER_DEG_LAT * Math.cos((this.lat * Math.PI) / 180);
      const dy = (this.target[1] - this.lat) * M_PER_DEG_LAT;
      const dist = Math.hypot(dx, dy);
      const travel = this.speed * dt;
      if (dist <= travel) {
        [this.lon, this.lat] = this.target;
        this.pauseUntil = now + rng.exp(4) * 60_000; // look around, talk to residents
        const stray = now >= this.strayUntil && this.spec.neighbours.length > 0 && rng.chance(0.03);
        if (stray) this.strayUntil = now + rng.range(12, 30) * 60_000;
        const area = now < this.strayUntil && this.spec.neighbours.length ? rng.pick(this.spec.neighbours) : this.spec.grid;
        this.target = randomPointIn(area, rng);
      } else {
        const f = travel / dist;
        this.lon += (this.target[0] - this.lon) * f;
        this.lat += (this.target[1] - this.lat) * f;
        this.heading = (Math.atan2(dx, dy) * 180 / Math.PI + 360) % 360;
        moving = this.speed * rng.range(0.85, 1.15);
      }
    }
    this.battery = Math.max(5, this.battery - dt * 0.0008);
    const accuracy = rng.range(3, 15);
    // GPS noise of a few metres
    const jitter = (accuracy / M_PER_DEG_LAT) * 0.3;
    return {
      lon: this.lon + rng.normal(0, jitter), lat: this.lat + rng.normal(0, jitter),
      speed: moving, heading: Math.round(this.heading), accuracy: Math.round(accuracy), battery: Math.round(this.battery * 10) / 10,
    };
  }
}
