import { describe, expect, it } from 'vitest';
import { ReplayClock, SPEEDS, type FrameScheduler } from '../../client/replay/clock.js';

/** A frame scheduler driven by the test: `frame(ms)` advances wall time and runs one frame. */
function fakeFrames() {
  let now = 1_000;
  let next = 1;
  const queue = new Map<number, (now: number) => void>();
  const scheduler: FrameScheduler = {
    now: () => now,
    request: (cb) => {
      queue.set(next, cb);
      return next++;
    },
    cancel: (h) => {
      queue.delete(h);
    },
  };
  return {
    scheduler,
    pending: () => queue.size,
    frame(elapsedMs: number) {
      now += elapsedMs;
      const cbs = [...queue.values()];
      queue.clear();
      for (const cb of cbs) cb(now);
    },
    wait(elapsedMs: number) {
      now += elapsedMs;
    },
  };
}

const FROM = Date.UTC(2026, 10, 26, 23, 0); // 07:00 in Donghai
const TO = FROM + 12 * 3_600_000;

describe('ReplayClock', () => {
  it('offers ×1 to ×60 and starts paused at the start of the range', () => {
    expect([...SPEEDS]).toEqual([1, 2, 5, 10, 30, 60]);
    const clock = new ReplayClock({ from: FROM, to: TO, scheduler: fakeFrames().scheduler });
    expect(clock.current).toMatchObject({ time: FROM, playing: false, from: FROM, to: TO, speed: 60 });
  });

  it('advances by wall time × speed on every frame', () => {
    const f = fakeFrames();
    const clock = new ReplayClock({ from: FROM, to: TO, speed: 1, scheduler: f.scheduler });
    const seen: number[] = [];
    clock.subscribe((s) => seen.push(s.time));
    clock.play();
    expect(clock.current.playing).toBe(true);
    f.frame(16);
    expect(clock.current.time).toBe(FROM + 16);
    clock.setSpeed(60);
    f.frame(1000);
    expect(clock.current.time).toBe(FROM + 16 + 60_000);
    clock.setSpeed(5);
    f.frame(200);
    expect(clock.current.time).toBe(FROM + 16 + 60_000 + 1000);
    expect(seen.at(-1)).toBe(clock.current.time);
    // A slow frame (software rendering) still moves the right amount: time follows the wall clock.
    f.frame(2500);
    expect(clock.current.time).toBe(FROM + 16 + 60_000 + 1000 + 12_500);
  });

  it('pause stops the clock and the frames; play resumes without counting the pause', () => {
    const f = fakeFrames();
    const clock = new ReplayClock({ from: FROM, to: TO, speed: 10, scheduler: f.scheduler });
    clock.play();
    f.frame(100);
    const t = clock.current.time;
    clock.pause();
    expect(clock.current.playing).toBe(false);
    expect(f.pending()).toBe(0);
    f.wait(60_000);
    f.frame(16);
    expect(clock.current.time).toBe(t);
    clock.play();
    f.wait(0);
    f.frame(100);
    expect(clock.current.time).toBe(t + 1000);
    clock.toggle();
    expect(clock.current.playing).toBe(false);
    clock.toggle();
    expect(clock.current.playing).toBe(true);
  });

  it('seek jumps (clamped to the range) and playing continues from there', () => {
    const f = fakeFrames();
    const clock = new ReplayClock({ from: FROM, to: TO, speed: 2, scheduler: f.scheduler });
    clock.seek(FROM + 3_600_000);
    expect(clock.current.time).toBe(FROM + 3_600_000);
    clock.seek(FROM - 1);
    expect(clock.current.time).toBe(FROM);
    clock.seek(TO + 1);
    expect(clock.current.time).toBe(TO);
    clock.seek(FROM + 60_000);
    clock.play();
    f.frame(500);
    clock.seek(FROM + 7_200_000);
    f.frame(250);
    expect(clock.current.time).toBe(FROM + 7_200_000 + 500);
    expect(clock.current.playing).toBe(true);
  });

  it('stops at the end of the range; play then starts again from the beginning', () => {
    const f = fakeFrames();
    const clock = new ReplayClock({ from: FROM, to: TO, speed: 60, scheduler: f.scheduler });
    clock.seek(TO - 30_000);
    clock.play();
    f.frame(400); // 24 s of replay
    expect(clock.current.time).toBe(TO - 6_000);
    f.frame(400); // would pass the end
    expect(clock.current).toMatchObject({ time: TO, playing: false });
    expect(f.pending()).toBe(0);
    clock.play();
    expect(clock.current).toMatchObject({ time: FROM, playing: true });
  });

  it('setRange moves to the new range and pauses; ignores bad speeds', () => {
    const f = fakeFrames();
    const clock = new ReplayClock({ from: FROM, to: TO, scheduler: f.scheduler });
    clock.play();
    clock.setRange(TO, TO + 3_600_000, TO + 600_000);
    expect(clock.current).toMatchObject({ from: TO, to: TO + 3_600_000, time: TO + 600_000, playing: false });
    expect(f.pending()).toBe(0);
    clock.setSpeed(0);
    clock.setSpeed(-5);
    expect(clock.current.speed).toBe(60);
    clock.dispose();
    expect(f.pending()).toBe(0);
  });
});
