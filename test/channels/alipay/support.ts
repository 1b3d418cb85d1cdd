/** Shared builders for the Alipay channel tests. */
import type { ChannelConfig, ChannelContext, ChannelHttpRequest, ChannelHttpResponse, ChargeView } from '../../../src/channels/contract.js';
import { manualClock } from '../../../src/core/clock.js';

export function chargeView(overrides: Partial<ChargeView> = {}): ChargeView {
  return {
    id: 'ch_0123456789ABCDEFGHIJKLMN',
    app_id: 'app_1',
    livemode: false,
    channel: 'alipay_pc_direct',
    order_no: 'order-1',
    type: 'order',
    amount: 10,
    amount_refunded: 0,
    currency: 'cny',
    subject: 'Test Order',
    body: 'One test item',
    description: null,
    client_ip: '127.0.0.1',
    extra: {},
    metadata: {},
    status: 'pending',
    transaction_no: null,
    created: Date.UTC(2026, 0, 1) / 1000,
    time_expire: Date.UTC(2026, 0, 1, 1) / 1000,
    return_url: null,
    ...overrides,
  };
}

export interface RecordingContext extends ChannelContext {
  readonly requests: ChannelHttpRequest[];
  readonly notes: string[];
}

/** A context whose HTTP transport is a function (a fake provider) and that records requests. */
export function testContext(
  options: ChannelConfig['options'],
  respond: (request: ChannelHttpRequest) => ChannelHttpResponse | Promise<ChannelHttpResponse> = () => ({ status: 500, headers: {}, body: '' }),
  livemode = false,
): RecordingContext {
  const requests: ChannelHttpRequest[] = [];
  const notes: string[] = [];
  const base = 'http://127.0.0.1:8080';
  return {
    channel: { id: 'chn_test', app_id: 'app_1', type: 'alipay', name: 'Alipay', livemode, options },
    urls: { base, notify: `${base}/notify/chn_test`, return: `${base}/return/chn_test`, result: (id) => `${base}/pay/result/${id}` },
    http: { request: async (request) => { requests.push(request); return respond(request); } },
    clock: manualClock(Date.UTC(2026, 0, 1)),
    log: (message) => { notes.push(message); },
    requests,
    notes,
  };
}
