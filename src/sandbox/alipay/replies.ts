/** What the sandbox's handlers answer, independent of the web framework. */
import { escapeXml } from '../../channels/alipay/mapi-xml.js';

export interface SandboxReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly location?: string;
}

export function jsonReply(body: string): SandboxReply {
  return { status: 200, contentType: 'application/json;charset=utf-8', body };
}

export function xmlReply(body: string): SandboxReply {
  return { status: 200, contentType: 'text/xml;charset=utf-8', body };
}

export function textReply(body: string, status = 200): SandboxReply {
  return { status, contentType: 'text/plain;charset=utf-8', body };
}

export function htmlReply(body: string, status = 200): SandboxReply {
  return { status, contentType: 'text/html;charset=utf-8', body };
}

export function redirectReply(location: string): SandboxReply {
  return { status: 302, contentType: 'text/plain;charset=utf-8', body: `Redirecting to ${location}`, location };
}

/** A page in the sandbox's plain style. */
export function page(title: string, inner: string): string {
  return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeXml(title)} · Alipay sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{color:#1677ff;font-size:1.4rem}.box{border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem 0}
.amount{font-size:2rem;font-weight:600}.code{font-family:monospace;background:#f5f5f5;padding:.1rem .3rem}
button{font-size:1rem;padding:.6rem 1.4rem;margin-right:.5rem;border-radius:6px;border:1px solid #1677ff;background:#1677ff;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1677ff}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.25rem;border-bottom:1px solid #eee;font-size:.9rem}
.banner{background:#fff7e6;border:1px solid #ffd591;padding:.5rem;border-radius:6px;font-size:.85rem}</style></head>
<body><p class="banner">paygate's Alipay sandbox: nothing real moves here.</p>${inner}</body></html>`;
}

/** The error page Alipay shows a buyer when a page-flow request is wrong. */
export function errorPage(code: string, message: string): SandboxReply {
  return htmlReply(page('错误', `<h1>支付宝 · 错误</h1><div class="box"><p>错误代码 <span class="code" id="error-code">${escapeXml(code)}</span></p><p>${escapeXml(message)}</p></div>`));
}
