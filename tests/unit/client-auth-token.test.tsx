// @vitest-environment jsdom
// The wall screen's token (client/auth/token.ts) and the login gate (client/auth/RequireLogin.tsx).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { I18nProvider } from '../../client/i18n/index.js';
import { authHeaders, bearerToken, takeTokenFromUrl, withBearer } from '../../client/auth/token.js';
import { RequireLogin } from '../../client/auth/RequireLogin.js';
import { sessionStore } from '../../client/auth/useSession.js';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(() => sessionStorage.clear());
afterEach(() => { cleanup(); history.replaceState(null, '', '/'); });

describe('screen token', () => {
  it('is taken from #token=, kept for the tab and removed from the URL (other hash fields stay)', () => {
    history.replaceState(null, '', '/screen?layers=patrols#token=abc_DEF-123&x=1');
    expect(takeTokenFromUrl()).toBe(true);
    expect(location.pathname + location.search + location.hash).toBe('/screen?layers=patrols#x=1');
    expect(bearerToken()).toBe('abc_DEF-123');
    expect(authHeaders()).toEqual({ authorization: 'Bearer abc_DEF-123' });
  });

  it('goes only to this server: MapLibre requests elsewhere get no header', () => {
    history.replaceState(null, '', '/screen#token=t1');
    takeTokenFromUrl();
    expect(withBearer(`${location.origin}/tiles/grids/1/2/3.mvt`)).toEqual({ url: `${location.origin}/tiles/grids/1/2/3.mvt`, headers: { authorization: 'Bearer t1' } });
    expect(withBearer('https://webrd01.is.autonavi.com/x.png')).toEqual({ url: 'https://webrd01.is.autonavi.com/x.png' });
  });

  it('without one, nothing is added (the session cookie does it)', () => {
    expect(takeTokenFromUrl()).toBe(false);
    expect(authHeaders()).toEqual({});
  });
});

describe('RequireLogin', () => {
  const page = (roles?: Array<'editor'>) => render(<I18nProvider><RequireLogin roles={roles}><p>内容</p></RequireLogin></I18nProvider>);

  it('shows the login form when not logged in', async () => {
    sessionStore.reset({ fetch: async () => json(401, { message: 'login required' }) });
    page();
    await waitFor(() => expect(screen.getByRole('form')).toBeTruthy());
    expect(screen.queryByText('内容')).toBeNull();
  });

  it('shows the page to a logged-in user, and the form with a note to one without the role', async () => {
    sessionStore.reset({ fetch: async () => json(200, { id: 1, username: 'v', displayName: '王五', role: 'viewer', township: null }) });
    page();
    await waitFor(() => expect(screen.getByText('内容')).toBeTruthy());
    cleanup();
    page(['editor']);
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/王五.*编辑员/));
    expect(screen.getByRole('form')).toBeTruthy();
  });
});
