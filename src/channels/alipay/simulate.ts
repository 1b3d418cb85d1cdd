/**
 * Test mode: paygate's `simulate` drives the sandbox as the buyer would, so the whole notify
 * path runs. The buyer opens the charge's pay URL (or scans its QR code) with the sandbox's
 * interactive cashier asked for, which redirects to the cashier page; the cashier form is then
 * posted with `pay`, `fail` or `confirm`. The sandbox answers once its notify reached paygate.
 */
import type { ChannelContext, ChannelResult, ChargeView } from '../contract.js';
import { createAlipayPayment } from './payments.js';

export type SimulateOutcome = 'paid' | 'secured_paid' | 'failed' | 'confirm';

const ACTIONS: Readonly<Record<SimulateOutcome, string>> = { paid: 'pay', secured_paid: 'pay', failed: 'fail', confirm: 'confirm' };

export async function simulateAsBuyer(ctx: ChannelContext, charge: ChargeView, outcome: SimulateOutcome): Promise<ChannelResult<{ readonly handled: boolean }>> {
  // Only a sandbox has a cashier to drive; live channels talk to the real Alipay.
  if (ctx.channel.livemode) return { ok: true, handled: false };
  const payment = await createAlipayPayment(ctx, charge);
  if (!payment.ok) return payment;
  const entry = payment.credential.qr_code ?? payment.credential.url;
  if (typeof entry !== 'string') return { ok: true, handled: false };

  const opened = await ctx.http.request({ method: 'GET', url: entry, headers: { 'x-paygate-sandbox-mode': 'interactive' } });
  const location = opened.headers.location;
  if (opened.status !== 302 || !location || !/\/cashier\?/.test(location)) {
    // Not paygate's sandbox (e.g. Alipay's own): let the engine apply the outcome itself.
    ctx.log(`simulate: ${entry.split('?')[0]} offers no sandbox cashier (HTTP ${opened.status}); paygate applies ${outcome} itself`);
    return { ok: true, handled: false };
  }
  const cashier = new URL(location, entry);
  const form = new URLSearchParams(cashier.search);
  form.set('action', ACTIONS[outcome]);
  cashier.search = '';
  const acted = await ctx.http.request({
    method: 'POST',
    url: cashier.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
  });
  let answer: { error?: string; message?: string; notify?: { state?: string } | null } = {};
  try {
    answer = JSON.parse(acted.body) as typeof answer;
  } catch {
    return { ok: false, code: 'sandbox_unexpected_answer', message: `the sandbox cashier answered HTTP ${acted.status}` };
  }
  if (acted.status !== 200) {
    // Paying a trade the sandbox already has as paid: the outcome asked for is already there.
    if (answer.error === 'ACQ.TRADE_HAS_SUCCESS' && ACTIONS[outcome] === 'pay') return { ok: true, handled: true };
    return { ok: false, code: answer.error ?? 'sandbox_refused', message: answer.message ?? `HTTP ${acted.status}` };
  }
  if (answer.notify && answer.notify.state !== 'delivered') {
    ctx.log(`simulate: the sandbox's notify was not acknowledged (${answer.notify.state}); it retries on Alipay's schedule`);
  }
  return { ok: true, handled: true };
}
