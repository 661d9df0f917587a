// @vitest-environment jsdom
// Login form and session hook (client/auth): errors in Chinese, session shared and updated.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nProvider } from '../../client/i18n/index.js';
import { LoginForm } from '../../client/auth/LoginForm.js';
import { sessionStore, useSession } from '../../client/auth/useSession.js';

const USER = { id: 7, username: 'zhang', displayName: '张三', role: 'editor', township: null };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function Who() {
  const s = useSession();
  return <p data-testid="who">{s.user === undefined ? 'loading' : s.user ? s.user.displayName : 'nobody'}</p>;
}

let fetchMock: ReturnType<typeof vi.fn>;
beforeEach(() => {
  localStorage.clear();
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  sessionStore.reset({ baseUrl: 'http://test.local' });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function submit(username: string, password: string) {
  fireEvent.change(screen.getByLabelText('用户名'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
  });
}

describe('login form', () => {
  it('shows 401 and 429 in Chinese, then logs in and updates every useSession()', async () => {
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) => {
      if (url.endsWith('/api/auth/me')) return json(401, { message: 'login required' });
      const body = JSON.parse(String(init?.body));
      if (body.password === 'bad') return json(401, { message: 'wrong username or password' });
      if (body.password === 'many') return json(429, { message: 'too many' }, { 'retry-after': '120' });
      return json(200, { user: USER, expiresAt: '2030-01-01T00:00:00Z' });
    });
    const onLoggedIn = vi.fn();
    render(
      <I18nProvider>
        <Who />
        <LoginForm onLoggedIn={onLoggedIn} api={{ baseUrl: 'http://test.local' }} />
      </I18nProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('who').textContent).toBe('nobody'));

    await submit('zhang', 'bad');
    expect(screen.getByRole('alert').textContent).toBe('用户名或密码错误');
    await submit('zhang', 'many');
    expect(screen.getByRole('alert').textContent).toBe('登录失败次数过多，请 120 秒后再试');

    await submit('zhang', 'right');
    expect(onLoggedIn).toHaveBeenCalledWith(USER);
    expect(screen.getByTestId('who').textContent).toBe('张三');
    const call = fetchMock.mock.calls.find(([u]) => String(u).endsWith('/api/auth/login'))!;
    expect(call[1]).toMatchObject({ method: 'POST', credentials: 'same-origin' });
  });

  it('asks for both fields before calling the server', async () => {
    fetchMock.mockResolvedValue(json(401, {}));
    render(
      <I18nProvider>
        <LoginForm api={{ baseUrl: 'http://test.local' }} />
      </I18nProvider>,
    );
    await submit('', '');
    expect(screen.getByRole('alert').textContent).toBe('请输入用户名和密码');
    expect(fetchMock.mock.calls.filter(([u]) => String(u).endsWith('/login'))).toHaveLength(0);
  });
});

describe('useSession', () => {
  it('loads /api/auth/me once for all components and logs out', async () => {
    fetchMock.mockImplementation(async (url: string) => (url.endsWith('/api/auth/me') ? json(200, USER) : new Response(null, { status: 204 })));
    function Out() {
      const s = useSession();
      return <button onClick={() => void s.logout()}>out</button>;
    }
    render(
      <I18nProvider>
        <Who />
        <Who />
        <Out />
      </I18nProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('who').map((e) => e.textContent)).toEqual(['张三', '张三']));
    expect(fetchMock.mock.calls.filter(([u]) => String(u).endsWith('/api/auth/me'))).toHaveLength(1);
    await act(async () => {
      fireEvent.click(screen.getByText('out'));
    });
    expect(screen.getAllByTestId('who').map((e) => e.textContent)).toEqual(['nobody', 'nobody']);
    expect(fetchMock.mock.calls.some(([u, i]) => String(u).endsWith('/api/auth/logout') && (i as RequestInit).method === 'POST')).toBe(true);
  });
});
