/**
 * What the buyer's browser sees: a page-flow request (page.pay, wap.pay, direct pay, escrow)
 * opens or reuses the trade; in auto mode the plain GET pays it and redirects to return_url
 * with signed params (seed 000: opening a test pay URL pays); in interactive mode the cashier
 * offers Pay and Fail. A QR code's URL is "the scan". The escrow buyer confirms receipt here.
 */
import { METHODS, SERVICES } from '../../channels/alipay/protocol.js';
import type { AlipaySandbox } from './sandbox.js';
import type { SandboxMerchant } from './merchants.js';
import { abandon, callbackRefusal, confirm, pay, type SandboxTrade, type TradeChange, type TradeProduct } from './trade.js';
import { mapiTrade, openApiTrade, sameOrder } from './trade-input.js';
import { errorPage, htmlReply, redirectReply, type SandboxReply } from './replies.js';
import { cashierHtml, resultHtml } from './pages.js';
import type { NotifyDelivery } from './notifier.js';

export type PageRequest =
  | { readonly kind: 'openapi'; readonly method: string; readonly biz: Readonly<Record<string, unknown>>; readonly params: Readonly<Record<string, string>>; readonly merchant: SandboxMerchant }
  | { readonly kind: 'mapi'; readonly service: string; readonly params: Readonly<Record<string, string>>; readonly merchant: SandboxMerchant };

export type BuyerAction = 'pay' | 'fail' | 'confirm';

const PRODUCTS: Readonly<Record<string, TradeProduct>> = {
  [METHODS.pagePay]: 'page',
  [METHODS.wapPay]: 'wap',
  [SERVICES.directPay]: 'direct',
  [SERVICES.wapDirectPay]: 'wap_direct',
  [SERVICES.escrowPay]: 'escrow',
};

export async function openPageTrade(sandbox: AlipaySandbox, request: PageRequest, interactive: boolean): Promise<SandboxReply> {
  const name = request.kind === 'openapi' ? request.method : request.service;
  const product = PRODUCTS[name];
  if (!product) return errorPage('ILLEGAL_SERVICE', `${name} is not a page flow`);
  const incoming = request.kind === 'openapi'
    ? openApiTrade(request.method, request.biz, request.params, request.merchant, product, sandbox.now())
    : mapiTrade(request.service, request.params, request.merchant, product, sandbox.now());
  if ('refused' in incoming) return errorPage(incoming.sub_code, incoming.sub_msg);
  if (!sandbox.callbackAllowed(incoming.notify_url) || !sandbox.callbackAllowed(incoming.return_url)) {
    const refused = callbackRefusal(incoming.protocol);
    return errorPage(refused.sub_code, refused.sub_msg);
  }

  let trade = await sandbox.load(incoming.seller_id, incoming.out_trade_no);
  if (trade && !sameOrder(trade, incoming)) {
    return errorPage(request.kind === 'openapi' ? 'ACQ.CONTEXT_INCONSISTENT' : 'TRADE_DATA_MATCH_ERROR', '交易信息被篡改：同一商户订单号的金额或标题与原交易不一致');
  }
  if (!trade) {
    trade = incoming;
    await sandbox.trades.insert(trade);
  }
  // Interactive: the cashier, whatever the state (it offers what the buyer can still do).
  if (interactive || sandbox.mode === 'interactive') return redirectReply(sandbox.cashierUrl(trade));
  if (trade.status !== 'WAIT_BUYER_PAY') return htmlReply(resultHtml(trade, await sandbox.returnUrl(trade)));
  return finishAsBuyer(sandbox, trade, 'pay');
}

/** The buyer acts; the first notify attempt is awaited, so the merchant knows when this answers. */
export async function buyerAct(sandbox: AlipaySandbox, trade: SandboxTrade, action: BuyerAction): Promise<TradeChange & { delivery?: NotifyDelivery }> {
  const rule = action === 'pay' ? pay : action === 'fail' ? abandon : confirm;
  return sandbox.change(trade, (t) => rule(t, sandbox.now()), { awaitNotify: true });
}

/** Acts, then shows the buyer where they would land: the merchant's return_url after paying. */
export async function finishAsBuyer(sandbox: AlipaySandbox, trade: SandboxTrade, action: BuyerAction): Promise<SandboxReply> {
  const change = await buyerAct(sandbox, trade, action);
  if (change.refused) return errorPage(change.sub_code, change.sub_msg);
  const returnUrl = action === 'pay' ? await sandbox.returnUrl(change.trade) : undefined;
  return returnUrl ? redirectReply(returnUrl) : htmlReply(resultHtml(change.trade, undefined));
}

/** GET of a precreate `qr_code`: the buyer scanned it. */
export async function scanQrCode(sandbox: AlipaySandbox, code: string, interactive: boolean): Promise<SandboxReply> {
  const found = await sandbox.trades.byQrCode(code);
  const trade = found && (await sandbox.load(found.seller_id, found.out_trade_no));
  if (!trade) return errorPage('QR_CODE_INVALID', '二维码已失效');
  if (interactive || sandbox.mode === 'interactive') return redirectReply(sandbox.cashierUrl(trade));
  if (trade.status !== 'WAIT_BUYER_PAY') return htmlReply(resultHtml(trade, undefined));
  return finishAsBuyer(sandbox, trade, 'pay');
}

export async function cashierPage(sandbox: AlipaySandbox, sellerId: string, outTradeNo: string): Promise<SandboxReply> {
  const trade = await sandbox.load(sellerId, outTradeNo);
  if (!trade) return errorPage('TRADE_NOT_EXIST', '交易不存在');
  return htmlReply(cashierHtml(sandbox, trade));
}
