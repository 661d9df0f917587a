// Tells live screens what state the server is in, as `server-status` { database: 'up' | 'down',
// stopping? } on every connection and on every change, so they can say so and subscribe again (with
// `since`, to catch up) when the database is back. On shutdown it closes the live connections first:
// the HTTP server cannot finish closing while websockets stay open, and clients reconnect by
// themselves to the next server.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

export interface ServerStatus { database: 'up' | 'down'; since: string; stopping?: true }

// Notices an outage even when no request and no idle connection runs into it.
const HEARTBEAT_MS = 5000;

async function serverStatusPlugin(app: FastifyInstance) {
  const { availability } = app.db;
  const io = app.live?.hub.io;
  let stopping = false;
  const status = (): ServerStatus => ({
    database: availability.up ? 'up' : 'down', since: availability.since.toISOString(), ...(stopping ? { stopping: true as const } : {}),
  });

  const onChange = (up: boolean) => {
    app.log.warn(`database ${up ? 'reachable again' : 'unreachable'}`);
    // Per process: every server tells its own clients.
    io?.local.emit('server-status', status());
  };
  availability.on('change', onChange);
  io?.on('connection', (socket) => socket.emit('server-status', status()));

  const heartbeat = setInterval(() => {
    if (availability.up) app.db.pool.query('SELECT 1').catch((err) => availability.report(err));
  }, HEARTBEAT_MS);
  heartbeat.unref();

  app.addHook('preClose', async () => {
    stopping = true;
    if (!io) return;
    io.local.emit('server-status', status());
    io.engine.close();
  });
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    availability.off('change', onChange);
  });
}

export default fp(serverStatusPlugin, { name: 'server-status', dependencies: ['live'] });
