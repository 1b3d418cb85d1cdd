/**
 * The legacy mapi side of gateway.do (`service=…`, MD5): direct and escrow pay pages, the
 * platform's send-goods call, single trade query, close, and notify_verify. Signatures are
 * checked with the partner's key by the MD5 rule; errors carry mapi's codes (ILLEGAL_SIGN,
 * ILLEGAL_PARTNER, TRADE_NOT_EXIST …), as an XML reply or, for page flows, an error page.
 */
import { md5Verify } from '../../channels/alipay/sign.js';
import { writeMapiReply } from '../../channels/alipay/mapi-xml.js';
import { toMajorString } from '../../core/money.js';
import { formatAlipayTime } from '../../channels/alipay/time.js';
import { SERVICES } from '../../channels/alipay/protocol.js';
import type { AlipaySandbox } from './sandbox.js';
import type { SandboxMerchant } from './merchants.js';
import { close, ship, type SandboxTrade } from './trade.js';
import { errorPage, textReply, xmlReply, type SandboxReply } from './replies.js';
import { openPageTrade } from './page-flow.js';

type Params = Readonly<Record<string, string>>;
const PAGE_SERVICES = new Set<string>([SERVICES.directPay, SERVICES.wapDirectPay, SERVICES.escrowPay]);
const NOTIFY_VERIFY_WINDOW_MS = 60_000;

export async function handleMapi(sandbox: AlipaySandbox, params: Params, interactive: boolean): Promise<SandboxReply> {
  const service = params.service ?? '';
  if (service === SERVICES.notifyVerify) return notifyVerify(sandbox, params);
  const page = PAGE_SERVICES.has(service);
  const refuse = (code: string, message: string) => (page ? errorPage(code, message) : xmlReply(writeMapiReply({ request: params, error: code, key: '' })));

  if (!params.partner) return refuse('ILLEGAL_PARTNER', '缺少 partner 参数');
  const candidates = (await sandbox.merchants.byPartner(params.partner)).filter((m) => m.md5Key);
  if (candidates.length === 0) return refuse('ILLEGAL_PARTNER', `合作者身份 ${params.partner} 不存在`);
  if (params._input_charset && params._input_charset.toLowerCase() !== 'utf-8') return refuse('ILLEGAL_CHARSET', '沙箱只支持 utf-8');
  if (params.sign_type !== 'MD5') return refuse('ILLEGAL_SIGN_TYPE', '沙箱的旧版接口只支持 MD5 签名');
  const merchant = candidates.find((m) => md5Verify(params, m.md5Key!));
  if (!merchant) return refuse('ILLEGAL_SIGN', '签名不正确');

  if (page) return openPageTrade(sandbox, { kind: 'mapi', service, params, merchant }, interactive);
  switch (service) {
    case SERVICES.sendGoods: return sendGoods(sandbox, params, merchant);
    case SERVICES.singleTradeQuery: return singleTradeQuery(sandbox, params, merchant);
    case 'close_trade': return closeTrade(sandbox, params, merchant);
    default: return refuse('ILLEGAL_SERVICE', `接口 ${service} 不存在`);
  }
}

async function findTrade(sandbox: AlipaySandbox, params: Params, merchant: SandboxMerchant, outField: string): Promise<SandboxTrade | undefined> {
  const outTradeNo = params[outField];
  const byNo = params.trade_no ? await sandbox.trades.byTradeNo(params.trade_no) : undefined;
  const trade = outTradeNo ? await sandbox.load(merchant.sellerId, outTradeNo) : byNo && (await sandbox.load(byNo.seller_id, byNo.out_trade_no));
  if (!trade || trade.seller_id !== merchant.sellerId) return undefined;
  if (params.trade_no && trade.trade_no !== params.trade_no) return undefined;
  return trade;
}

function record(trade: SandboxTrade): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    out_trade_no: trade.out_trade_no,
    trade_no: trade.trade_no,
    trade_status: trade.status,
    subject: trade.subject,
    body: trade.body,
    total_fee: toMajorString(trade.total, 'cny'),
    seller_id: trade.seller_id,
    seller_email: trade.seller_email,
    buyer_id: trade.buyer?.id,
    buyer_email: trade.buyer?.email,
    gmt_create: formatAlipayTime(trade.created_at),
    gmt_payment: trade.paid_at === undefined ? undefined : formatAlipayTime(trade.paid_at),
    gmt_send_goods: trade.shipped_at === undefined ? undefined : formatAlipayTime(trade.shipped_at),
    gmt_close: trade.closed_at === undefined ? undefined : formatAlipayTime(trade.closed_at),
    logistics_type: trade.logistics?.type,
  };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}

async function sendGoods(sandbox: AlipaySandbox, params: Params, merchant: SandboxMerchant): Promise<SandboxReply> {
  const key = merchant.md5Key!;
  if (!params.trade_no) return xmlReply(writeMapiReply({ request: params, error: 'ILLEGAL_ARGUMENT', key }));
  const transport = params.transport_type ?? params.create_transport_type;
  if (!params.logistics_name || !params.invoice_no || !transport) return xmlReply(writeMapiReply({ request: params, error: 'ILLEGAL_ARGUMENT', key }));
  const trade = await findTrade(sandbox, params, merchant, 'out_trade_no');
  if (!trade) return xmlReply(writeMapiReply({ request: params, error: 'TRADE_NOT_EXIST', key }));
  const change = await sandbox.change(trade, (t) => ship(t, { logistics_name: params.logistics_name!, invoice_no: params.invoice_no!, transport_type: transport }, sandbox.now()));
  if (change.refused) return xmlReply(writeMapiReply({ request: params, error: change.sub_code, key }));
  return xmlReply(writeMapiReply({ request: params, record: { name: 'tradeBase', fields: record(change.trade) }, key }));
}

async function singleTradeQuery(sandbox: AlipaySandbox, params: Params, merchant: SandboxMerchant): Promise<SandboxReply> {
  const key = merchant.md5Key!;
  if (!params.out_trade_no && !params.trade_no) return xmlReply(writeMapiReply({ request: params, error: 'ILLEGAL_ARGUMENT', key }));
  const trade = await findTrade(sandbox, params, merchant, 'out_trade_no');
  if (!trade) return xmlReply(writeMapiReply({ request: params, error: 'TRADE_NOT_EXIST', key }));
  return xmlReply(writeMapiReply({ request: params, record: { name: 'trade', fields: record(trade) }, key }));
}

async function closeTrade(sandbox: AlipaySandbox, params: Params, merchant: SandboxMerchant): Promise<SandboxReply> {
  const key = merchant.md5Key!;
  if (!params.out_order_no && !params.trade_no) return xmlReply(writeMapiReply({ request: params, error: 'ILLEGAL_ARGUMENT', key }));
  const trade = await findTrade(sandbox, params, merchant, 'out_order_no');
  if (!trade) return xmlReply(writeMapiReply({ request: params, error: 'TRADE_NOT_EXIST', key }));
  const change = await sandbox.change(trade, (t) => close(t, sandbox.now()));
  if (change.refused) return xmlReply(writeMapiReply({ request: params, error: 'TRADE_STATUS_NOT_AVAILD', key }));
  return xmlReply(writeMapiReply({ request: params, key }));
}

/** `notify_verify`: "did you send this notify_id to me, a minute ago at most?" → `true` / `false`. */
async function notifyVerify(sandbox: AlipaySandbox, params: Params): Promise<SandboxReply> {
  if (!params.partner || !params.notify_id) return textReply('false');
  const delivery = await sandbox.notifier.get(params.notify_id);
  // Each send re-opens the one-minute window in which the merchant may ask.
  const lastSend = delivery?.attempts[delivery.attempts.length - 1]?.at ?? delivery?.created_at ?? 0;
  const fresh = delivery !== undefined && delivery.partner === params.partner && sandbox.now() - lastSend <= NOTIFY_VERIFY_WINDOW_MS;
  return textReply(fresh ? 'true' : 'false');
}
