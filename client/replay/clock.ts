// The replay clock: replay time advances by (wall time elapsed × speed) on every animation frame,
// stops at the end of the range. One clock drives all workers, so they move in sync.
// The scheduler is injectable (requestAnimationFrame in the browser, a fake one in tests).

export const SPEEDS = [1, 2, 5, 10, 30, 60] as const;
export type Speed = (typeof SPEEDS)[number];

export interface ClockState {
  /** Replay time, epoch ms. */
  time: number;
  playing: boolean;
  speed: number;
  from: number;
  to: number;
}

export interface FrameScheduler {
  /** Wall time, ms (monotonic). */
  now(): number;
  /** Calls back once on the next frame with the frame's wall time. */
  request(callback: (now: number) => void): number;
  cancel(handle: number): void;
}

export const animationFrameScheduler: FrameScheduler = {
  now: () => performance.now(),
  request: (cb) => requestAnimationFrame(cb),
  cancel: (h) => cancelAnimationFrame(h),
};

export interface ClockOptions {
  from: number;
  to: number;
  time?: number;
  speed?: number;
  scheduler?: FrameScheduler;
}

export class ReplayClock {
  private state: ClockState;
  private readonly scheduler: FrameScheduler;
  private handle: number | null = null;
  private last = 0;
  private readonly listeners = new Set<(state: ClockState) => void>();

  constructor({ from, to, time = from, speed = SPEEDS[SPEEDS.length - 1], scheduler = animationFrameScheduler }: ClockOptions) {
    this.scheduler = scheduler;
    this.state = { from, to, time: clamp(time, from, to), speed, playing: false };
  }

  get current(): ClockState {
    return this.state;
  }

  subscribe(listener: (state: ClockState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  play(): void {
    if (this.state.playing) return;
    // Playing at the end starts again from the beginning.
    const time = this.state.time >= this.state.to ? this.state.from : this.state.time;
    this.set({ playing: true, time });
    this.last = this.scheduler.now();
    this.schedule();
  }

  pause(): void {
    if (!this.state.playing) return;
    this.unschedule();
    this.set({ playing: false });
  }

  toggle(): void {
    if (this.state.playing) this.pause();
    else this.play();
  }

  /** Jumps to a time (clamped to the range); playing continues from there. */
  seek(time: number): void {
    const t = clamp(time, this.state.from, this.state.to);
    this.last = this.scheduler.now();
    if (t !== this.state.time) this.set({ time: t });
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || speed === this.state.speed) return;
    this.set({ speed });
  }

  /** A new range (new tracks loaded): pauses and moves to `time` (default: the range start). */
  setRange(from: number, to: number, time: number = from): void {
    this.unschedule();
    this.set({ from, to, time: clamp(time, from, to), playing: false });
  }

  dispose(): void {
    this.unschedule();
    this.listeners.clear();
  }

  private readonly tick = (now: number): void => {
    this.handle = null;
    if (!this.state.playing) return;
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    const time = Math.min(this.state.to, this.state.time + elapsed * this.state.speed);
    if (time >= this.state.to) {
      this.set({ time: this.state.to, playing: false });
      return;
    }
    this.set({ time });
    this.schedule();
  };

  private schedule(): void {
    if (this.handle === null) this.handle = this.scheduler.request(this.tick);
  }

  private unschedule(): void {
    if (this.handle !== null) this.scheduler.cancel(this.handle);
    this.handle = null;
  }

  private set(patch: Partial<ClockState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
