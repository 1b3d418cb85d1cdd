/**
 * The console's only way to the server: JSON calls to `/admin/api`, with the session's CSRF
 * token on every state-changing call. A 401 sends the operator to the login page; every other
 * failure becomes an `ApiError` carrying paygate's error code and message.
 */
import { reactive } from 'vue';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly param?: string, readonly retryAfter?: number) {
    super(message);
  }
}

export interface SessionState {
  username: string | null;
  csrf: string | null;
  checked: boolean;
}

export const session = reactive<SessionState>({ username: null, csrf: null, checked: false });

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

type Params = Record<string, string | number | boolean | undefined | null>;

export function queryString(params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, params?: Params): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['x-csrf-token'] = session.csrf;
  const url = (path.startsWith('/v1/') ? path : `/admin/api${path}`) + queryString(params);
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; param?: string } } | null)?.error;
    if (response.status === 401 && path !== '/login' && path !== '/session') {
      session.username = null;
      session.csrf = null;
      onUnauthorized();
    }
    const retry = Number(response.headers.get('retry-after'));
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `${response.status} ${response.statusText}`, error?.param, Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }
  return data as T;
}

export const get = <T>(path: string, params?: Params) => api<T>('GET', path, undefined, params);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

export async function loadSession(): Promise<boolean> {
  try {
    const answer = await api<{ user: { username: string }; csrf_token: string }>('GET', '/session');
    session.username = answer.user.username;
    session.csrf = answer.csrf_token;
  } catch {
    session.username = null;
    session.csrf = null;
  }
  session.checked = true;
  return session.username !== null;
}

export async function login(username: string, password: string): Promise<void> {
  const answer = await api<{ user: { username: string }; csrf_token: string }>('POST', '/login', { username, password });
  session.username = answer.user.username;
  session.csrf = answer.csrf_token;
  session.checked = true;
}

export async function logout(): Promise<void> {
  try {
    await api('POST', '/logout', {});
  } finally {
    session.username = null;
    session.csrf = null;
  }
}
