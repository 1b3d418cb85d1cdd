/**
 * The sandbox's HTTP handlers are plain functions of a request, independent of the web framework,
 * so they are tested directly and mounted alike embedded (`/sandbox/wechat/…`) and standalone.
 */

export interface SandboxRequest {
  readonly method: string;
  /** The path inside the sandbox, e.g. `/pay/unifiedorder` (no base path, no query). */
  readonly path: string;
  /** The request target exactly as received (base path and query included): what v3 signs. */
  readonly target: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody: string;
  readonly cookies: Readonly<Record<string, string>>;
}

export interface SandboxReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export function html(body: string, status = 200, headers: Readonly<Record<string, string>> = {}): SandboxReply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body };
}

export function json(value: unknown, status = 200, headers: Readonly<Record<string, string>> = {}): SandboxReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

export function redirect(location: string, headers: Readonly<Record<string, string>> = {}): SandboxReply {
  return { status: 302, headers: { location, ...headers }, body: '' };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
