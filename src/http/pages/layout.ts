/**
 * The frame of paygate's buyer-facing pages (test cashier, result page): one inline stylesheet,
 * no scripts, readable on a phone and a desktop, Chinese first with English beside it.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A bilingual label: Chinese, with English in a quieter tone. */
export function label(zh: string, en: string): string {
  return `${escapeHtml(zh)} <span class="en">${escapeHtml(en)}</span>`;
}

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;background:#eef1f6;color:#1f2a37;font:15px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei","Segoe UI",Roboto,sans-serif}
.top{background:#1677ff;color:#fff;padding:14px 20px;display:flex;align-items:center;gap:10px}
.top .logo{width:28px;height:28px;border-radius:8px;background:#fff;color:#1677ff;font-weight:700;display:grid;place-items:center}
.top .title{font-size:17px;font-weight:600}
.top .en{color:#dbe8ff}
.badge{margin-left:auto;background:#ffb020;color:#3b2800;border-radius:999px;padding:2px 10px;font-size:12px;font-weight:600}
main{max-width:460px;margin:28px auto;padding:0 16px}
.card{background:#fff;border-radius:14px;box-shadow:0 6px 24px rgba(20,40,80,.08);overflow:hidden}
.summary{padding:24px 24px 18px;text-align:center;border-bottom:1px dashed #e3e8ef}
.merchant{color:#5b6b7f;font-size:14px}
.amount{font-size:40px;font-weight:700;letter-spacing:.5px;margin:6px 0 2px;font-variant-numeric:tabular-nums}
.amount .cur{font-size:22px;margin-right:4px;font-weight:600}
.subject{color:#1f2a37;font-size:15px;word-break:break-word}
dl{margin:0;padding:14px 24px;display:grid;grid-template-columns:auto 1fr;gap:6px 16px;font-size:13px}
dt{color:#7a8797}dd{margin:0;text-align:right;word-break:break-all;color:#334155}
form{padding:6px 24px 24px}
.field{display:block;margin:10px 0 6px;font-weight:600;font-size:14px}
input[type=password]{width:100%;font-size:20px;letter-spacing:6px;padding:12px 14px;border:1px solid #cfd8e3;border-radius:10px;outline:none;background:#fafcff}
input[type=password]:focus{border-color:#1677ff;box-shadow:0 0 0 3px rgba(22,119,255,.15)}
.hint{color:#7a8797;font-size:12px;margin:6px 0 0}
.buttons{display:grid;grid-template-columns:2fr 1fr;gap:10px;margin-top:18px}
button{font:inherit;font-size:16px;font-weight:600;border-radius:10px;padding:12px;cursor:pointer;border:1px solid transparent}
button.pay{background:#1677ff;color:#fff}
button.pay:hover{background:#0f62d9}
button.fail{background:#fff;color:#c0362c;border-color:#efc2bd}
button.fail:hover{background:#fff5f4}
button .en{font-weight:400;opacity:.85;font-size:13px}
.error{margin:14px 24px 0;padding:10px 12px;border-radius:10px;background:#fff1f0;color:#a8261c;border:1px solid #ffccc7;font-size:14px}
.status{padding:28px 24px 8px;text-align:center}
.status .icon{width:64px;height:64px;border-radius:50%;margin:0 auto 10px;display:grid;place-items:center;font-size:34px;color:#fff}
.ok .icon{background:#22a06b}.wait .icon{background:#f0a020}.bad .icon{background:#d64545}
.status h1{font-size:20px;margin:4px 0}
.status .en{color:#7a8797;font-weight:400}
.fragment{padding:4px 24px 12px}
.next{padding:4px 24px 24px;text-align:center;font-size:14px;color:#5b6b7f}
.next a{color:#1677ff}
footer{text-align:center;color:#8a96a6;font-size:12px;margin:18px 0 30px}
@media (max-width:480px){main{margin:0 auto;padding:0}.card{border-radius:0;box-shadow:none}.amount{font-size:36px}}
`;

export interface PageOptions {
  readonly title: string;
  readonly body: string;
  /** Adds the "test mode" badge. */
  readonly testMode?: boolean;
  /** `<meta http-equiv=refresh>`: seconds and target. */
  readonly refresh?: { readonly seconds: number; readonly url: string };
}

export function renderPage(options: PageOptions): string {
  const refresh = options.refresh ? `<meta http-equiv="refresh" content="${options.refresh.seconds};url=${escapeHtml(options.refresh.url)}">` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
${refresh}
<title>${escapeHtml(options.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="top"><div class="logo">P</div><div class="title">收银台 <span class="en">Cashier</span></div>${options.testMode ? '<span class="badge">测试模式 Test mode</span>' : ''}</header>
<main>
${options.body}
<footer>paygate · ${options.testMode ? '测试环境，不产生真实扣款 · Test mode: no real money moves' : '安全支付 · Secure payment'}</footer>
</main>
</body>
</html>`;
}
