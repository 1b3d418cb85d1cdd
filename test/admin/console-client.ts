/**
 * A tiny console client for tests: keeps the session cookie like a browser would and sends the
 * CSRF token on state-changing calls (unless told not to).
 */
export interface ConsoleResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export class ConsoleClient {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, options: { csrf?: boolean; contentType?: string } = {}): Promise<ConsoleResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if (options.csrf !== false && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), redirect: 'manual',
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0];
      this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const text = await response.text();
    let parsed: unknown = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = {};
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  async login(username: string, password: string): Promise<ConsoleResponse> {
    const response = await this.call('POST', '/admin/api/login', { username, password });
    if (response.status === 200) this.csrf = String(response.body.csrf_token);
    return response;
  }
}
