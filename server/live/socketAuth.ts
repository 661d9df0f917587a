// Who may listen live: every socket.io connection brings the session cookie (browsers) or a token
// (`auth: { token }` in the handshake, or `Authorization: Bearer` from other programs), and is
// refused without a valid one. A dispatcher limited to a township may only subscribe to views
// inside it: that township, or a box within its boundary.
import type { Server, Socket } from 'socket.io';
import type pg from 'pg';
import type { CurrentUser } from '../schemas/auth.js';
import { SESSION_COOKIE } from '../plugins/auth.js';

export interface SocketAuthOptions {
  pool: pg.Pool;
  /** The user behind a session or token (cached briefly by the auth plugin), null when invalid. */
  userForToken(token: string): Promise<CurrentUser | null>;
}

type Handshake = Socket['handshake'];

/** The token a handshake carries: `auth.token`, then a bearer header, then the session cookie. */
export function handshakeToken(h: Handshake): string | undefined {
  const fromAuth = (h.auth as { token?: unknown } | undefined)?.token;
  if (typeof fromAuth === 'string' && fromAuth) return fromAuth;
  const header = h.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  for (const part of (h.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

const refusal = (message: string, status: number) => Object.assign(new Error(message), { data: { status } });

export function installSocketAuth(io: Server, opts: SocketAuthOptions): void {
  const verify = async (token: string | undefined) => (token && token.length <= 200 ? opts.userForToken(token).catch(() => null) : null);

  /** Why a township dispatcher may not watch this view, or null when it lies inside the township. */
  async function outOfScope(user: CurrentUser, sub: unknown): Promise<string | null> {
    if (user.role !== 'dispatcher' || !user.township) return null;
    const s = (sub && typeof sub === 'object' ? sub : {}) as { scope?: unknown; township?: unknown; bbox?: unknown };
    if (s.scope === 'township') return s.township === user.township ? null : `subscription.township: you may only watch township ${user.township}`;
    if (s.scope === 'bbox') {
      const b = s.bbox;
      // a malformed box is left to the hub, which names what is wrong with it
      if (!Array.isArray(b) || b.length !== 4 || !b.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
      const { rows } = await opts.pool.query(
        `SELECT ST_Covers(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)) AS inside FROM regions WHERE code = $5 AND kind = 'township'`,
        [...b, user.township]);
      return rows[0]?.inside ? null : `subscription.bbox: outside township ${user.township}, the only one you may watch`;
    }
    return `subscription.scope: you may only watch township ${user.township} (scope township, or a box inside it)`;
  }

  io.use(async (socket, next) => {
    const token = handshakeToken(socket.handshake);
    const user = await verify(token);
    if (!user) {
      return next(refusal(token ? 'session expired or token revoked: log in again' : 'login required: send the session cookie or auth.token', 401));
    }
    socket.data.user = user;
    // Each subscription is checked again: the session may have ended or the role changed since.
    socket.use(([event, sub, ack], nextPacket) => {
      if (event !== 'subscribe') return nextPacket();
      const reply = typeof ack === 'function' ? ack as (r: unknown) => void : () => {};
      void (async () => {
        const now = await verify(token);
        if (!now) {
          reply({ ok: false, error: 'session expired or token revoked: log in again' });
          socket.disconnect(true);
          return;
        }
        socket.data.user = now;
        const why = await outOfScope(now, sub);
        if (why) reply({ ok: false, error: why });
        else nextPacket();
      })().catch(() => reply({ ok: false, error: 'subscription check failed, retry' }));
    });
    next();
  });
}
