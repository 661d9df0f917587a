// The wall screen's token: `/screen#token=…` is moved to sessionStorage at start and taken out of
// the URL (not left in the address bar, the history or a screenshot), then sent as a bearer with
// API fetches, MapLibre's requests to this server and the socket.io handshake. Browsers that
// logged in through the form use the HttpOnly session cookie instead and carry no token here.
const KEY = 'gridcc.bearer';

const storage = (): Storage | null => {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage disabled
  }
};

/** Reads `#token=…` (alone or among other `&`-joined hash fields), keeps it for this tab and cleans the URL. */
export function takeTokenFromUrl(loc: Location = globalThis.location, hist: History = globalThis.history): boolean {
  if (!loc?.hash) return false;
  const fields = new URLSearchParams(loc.hash.slice(1));
  const token = fields.get('token');
  if (!token) return false;
  storage()?.setItem(KEY, token);
  fields.delete('token');
  const rest = fields.toString();
  hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
  return true;
}

export function bearerToken(): string | null {
  return storage()?.getItem(KEY) ?? null;
}

export function forgetToken(): void {
  storage()?.removeItem(KEY);
}

/** `Authorization: Bearer …` when this tab has a token; nothing otherwise (the cookie does it). */
export function authHeaders(): Record<string, string> {
  const token = bearerToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** socket.io's `auth` option, read at each (re)connection. */
export function socketAuth(cb: (data: object) => void): void {
  const token = bearerToken();
  cb(token ? { token } : {});
}

/** Only our own server gets the token, never a third-party base map. */
export function isOwnOrigin(url: string): boolean {
  try {
    return new URL(url, globalThis.location?.href).origin === globalThis.location?.origin;
  } catch {
    return false;
  }
}

/** MapLibre's transformRequest: adds the bearer to requests to this server. */
export function withBearer(url: string): { url: string; headers?: Record<string, string> } {
  const headers = authHeaders();
  return headers.authorization && isOwnOrigin(url) ? { url, headers } : { url };
}
