// Whether the database answers now. A connection error (from a request, a background job or an idle
// pooled connection) marks it down; a probe then retries every second until it answers again. The
// pool reconnects by itself on the next query; listeners (the live hub tells the screens) hear both
// changes.
import { EventEmitter } from 'node:events';

// Driver and server errors that mean "not reachable now", not "this query is wrong".
const CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006',
]);
const MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end)/;

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  // Connecting to a name with several addresses fails with all of them.
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isDatabaseUnavailable);
}

export class DatabaseAvailability extends EventEmitter<{ change: [up: boolean] }> {
  up = true;
  /** When the database was last seen going down or coming back. */
  since = new Date();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private probe: () => Promise<unknown>, private probeMs = 1000) { super(); }

  /** Marks the database down when `err` says it is unreachable; returns whether it did. */
  report(err: unknown): boolean {
    if (!isDatabaseUnavailable(err)) return false;
    if (this.up && !this.closed) {
      this.up = false;
      this.since = new Date();
      this.emit('change', false);
      this.schedule();
    }
    return true;
  }

  private schedule() {
    this.timer = setTimeout(() => {
      this.probe().then(() => {
        if (this.closed) return;
        this.up = true;
        this.since = new Date();
        this.emit('change', true);
      }, () => { if (!this.closed) this.schedule(); });
    }, this.probeMs);
    this.timer.unref();
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
