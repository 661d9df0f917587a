// One JSON request of the app's own API (same-origin credentials: the session cookie): the body sent
// as JSON, JSON asked for. A network failure becomes the caller's own error type; an abort stays one.
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export async function sendJson(fetchImpl: FetchLike, url: string, method: 'GET' | 'POST', body: unknown, signal: AbortSignal | undefined,
  networkError: (message: string) => Error): Promise<Response> {
  try {
    return await fetchImpl(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw networkError(String(err));
  }
}
