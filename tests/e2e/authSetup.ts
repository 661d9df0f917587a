// Browser tests are logged in as a viewer by default, and so are their own requests from Node: a
// fetch to the server under test carries the harness's session cookie (tests/e2e/run.ts) unless it
// brings credentials of its own.
import { SESSION_COOKIE } from '../../server/plugins/auth.js';

const base = process.env.E2E_BASE_URL?.replace(/\/$/, '');
const token = process.env.E2E_SESSION_TOKEN;

if (base && token) {
  const original = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(`${base}/`)) return original(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has('authorization') && !headers.has('cookie')) headers.set('cookie', `${SESSION_COOKIE}=${token}`);
    return original(input, { ...init, headers });
  };
}
