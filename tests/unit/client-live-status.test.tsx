// @vitest-environment jsdom
// The live feed and the server's database status: down → the feed says it is reconnecting; back up →
// it subscribes again with `since`, to get what was committed around the outage. Against a real
// socket.io server in this process.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server, type Socket } from 'socket.io';
import { useLivePositions } from '../../client/live/useLivePositions.js';

let server: http.Server;
let io: Server;
let url: string;
const subscriptions: Array<Record<string, unknown>> = [];
let client: Socket | null = null;

beforeAll(async () => {
  server = http.createServer();
  io = new Server(server, { transports: ['websocket'] });
  io.on('connection', (socket) => {
    client = socket;
    socket.on('subscribe', (sub: Record<string, unknown>, ack: (r: object) => void) => {
      subscriptions.push(sub);
      socket.emit('snapshot', { at: '2026-11-27T08:00:00.000Z', full: !sub.since, workers: [[1, 118.7, 34.5, Date.parse('2026-11-27T07:59:00Z'), 0, 1, 0, 5, 5]] });
      ack({ ok: true });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => io.close(() => r()));
});

describe('live feed and the database status', () => {
  it('goes to reconnecting while the database is down and subscribes again with since when it is back', async () => {
    const { result, unmount } = renderHook(() => useLivePositions({ scope: 'county' }, url));
    await waitFor(() => expect(result.current.status).toBe('live'));
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0].since).toBeUndefined();
    act(() => { client!.emit('server-status', { database: 'down', since: '2026-11-27T08:01:00.000Z' }); });
    await waitFor(() => expect(result.current.status).toBe('reconnecting'));
    act(() => { client!.emit('server-status', { database: 'up', since: '2026-11-27T08:02:00.000Z' }); });
    await waitFor(() => expect(subscriptions).toHaveLength(2));
    expect(subscriptions[1]).toMatchObject({ scope: 'county', since: '2026-11-27T08:00:00.000Z' });
    await waitFor(() => expect(result.current.status).toBe('live'));
    unmount();
  });
});
