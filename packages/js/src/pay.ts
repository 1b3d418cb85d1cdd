/**
 * `pay(charge)`: does what the charge's credential needs in this browser —
 * - WeChat JSAPI parameters inside WeChat: `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`;
 * - a QR code (WeChat NATIVE, Alipay precreate): paygate's hosted QR page, in `container` if given;
 * - a pay URL or gateway form (test channel, Alipay page/wap, WeChat H5): go there.
 * With `navigate: false` it only says what it would do (custom UIs, tests).
 */
import { PaygateError, type Charge } from './types.js';

export type PayAction =
  | { kind: 'jsapi'; result: string }
  | { kind: 'qr'; url: string; content?: string }
  | { kind: 'redirect'; url: string }
  | { kind: 'form'; url: string; params: Record<string, string> };

export interface PayOptions {
  /** Show a QR page inside this element (an iframe) instead of navigating to it. */
  container?: HTMLElement;
  /** Default true; false returns the action without performing it. */
  navigate?: boolean;
}

interface Bridge {
  invoke(name: string, params: Record<string, unknown>, callback: (result: { err_msg?: string }) => void): void;
}

function credentialOf(charge: Charge): Record<string, unknown> {
  const credential = charge.credential ?? {};
  const inner = charge.channel ? credential[charge.channel] : undefined;
  if (inner && typeof inner === 'object') return inner as Record<string, unknown>;
  if (typeof charge.pay_url === 'string') return { pay_url: charge.pay_url };
  throw new PaygateError(`Charge ${charge.id} carries no credential for ${charge.channel ?? 'its channel'}; pass the charge as paygate returned it at creation.`, 'credential_missing', 0);
}

/** What paying this charge takes, without doing it. */
export function payAction(charge: Charge): Exclude<PayAction, { kind: 'jsapi' }> | { kind: 'jsapi-params'; params: Record<string, unknown> } {
  const c = credentialOf(charge);
  if (typeof c.paySign === 'string' && typeof c.package === 'string') return { kind: 'jsapi-params', params: c };
  // What the buyer scans: WeChat NATIVE's `code_url`, Alipay precreate's `qr_code`; `url` is
  // paygate's hosted page showing it as a QR image and following the charge.
  const qrContent = typeof c.code_url === 'string' ? c.code_url : typeof c.qr_code === 'string' ? c.qr_code : undefined;
  const qrPage = typeof c.qr_url === 'string' ? c.qr_url : qrContent !== undefined && typeof c.url === 'string' ? c.url : undefined;
  if (qrPage) return { kind: 'qr', url: qrPage, content: qrContent };
  if (typeof c.method === 'string' && c.method.toUpperCase() === 'POST' && typeof c.channel_url === 'string' && c.params && typeof c.params === 'object') {
    return { kind: 'form', url: c.channel_url, params: c.params as Record<string, string> };
  }
  const url = typeof c.pay_url === 'string' ? c.pay_url : typeof c.url === 'string' ? c.url : undefined;
  if (url) return { kind: 'redirect', url };
  throw new PaygateError(`Charge ${charge.id}'s ${charge.channel ?? ''} credential is not one pay() knows; read charge.credential yourself.`, 'credential_unsupported', 0);
}

function bridge(): Promise<Bridge> {
  const w = window as unknown as { WeixinJSBridge?: Bridge };
  if (w.WeixinJSBridge) return Promise.resolve(w.WeixinJSBridge);
  if (!/MicroMessenger/i.test(navigator.userAgent)) {
    return Promise.reject(new PaygateError('This is a WeChat JSAPI charge (wx_pub / wx_lite): open the page inside WeChat, or create a wx_pub_qr charge for other browsers.', 'wechat_required', 0));
  }
  return new Promise((resolve) => document.addEventListener('WeixinJSBridgeReady', () => resolve((window as unknown as { WeixinJSBridge: Bridge }).WeixinJSBridge), { once: true }));
}

export async function pay(charge: Charge, options: PayOptions = {}): Promise<PayAction> {
  const action = payAction(charge);
  const navigate = options.navigate !== false;
  if (action.kind === 'jsapi-params') {
    const wx = await bridge();
    const result = await new Promise<string>((resolve) => wx.invoke('getBrandWCPayRequest', action.params, (res) => resolve(res.err_msg ?? '')));
    return { kind: 'jsapi', result };
  }
  if (!navigate) return action;
  if (action.kind === 'qr' && options.container) {
    const frame = document.createElement('iframe');
    frame.src = action.url;
    frame.title = 'Scan to pay';
    frame.style.cssText = 'border:0;width:100%;min-height:420px';
    options.container.replaceChildren(frame);
  } else if (action.kind === 'form') {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = action.url;
    for (const [name, value] of Object.entries(action.params)) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = String(value);
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  } else {
    window.location.assign(action.url);
  }
  return action;
}
