/**
 * The contract every channel type implements (PRODUCT.md §5). Channels translate between a
 * charge and a provider's wire protocol; the engine decides. A channel never touches the
 * database: the engine wraps every call, logs its requests and responses (secrets masked), and
 * applies the outcome through the state machine in one transaction.
 *
 * Only `createPayment` is required. Everything else is an optional verb; the engine answers
 * `operation_not_supported` when a channel lacks one, so no channel needs empty stubs.
 */
import type { Clock } from '../core/clock.js';
import type { ChargeStatus } from '../core/charge-state.js';

/** One field of a channel type's options; drives validation and the console's form. */
export interface OptionField {
  readonly name: string;
  readonly label: { readonly en: string; readonly zh: string };
  readonly kind: 'string' | 'secret' | 'pem' | 'enum' | 'boolean' | 'url' | 'integer';
  /** `true`: always; `'live'`: only for live channels (test mode falls back to the sandbox). */
  readonly required: boolean | 'live';
  /** Encrypted at rest, never returned by reads (masked), only replaced. */
  readonly secret?: boolean;
  readonly enum?: readonly string[];
  readonly default?: string | number | boolean;
  readonly help?: { readonly en: string; readonly zh: string };
  /** Extra check of a present value; returns what is wrong, in words, or undefined. */
  readonly check?: (value: unknown) => string | undefined;
}

export type OptionValue = string | number | boolean;
export type ChannelOptions = Readonly<Record<string, OptionValue | undefined>>;

/** A configured channel as a channel type sees it: options decrypted. */
export interface ChannelConfig {
  readonly id: string;
  readonly app_id: string;
  readonly type: string;
  readonly name: string;
  readonly livemode: boolean;
  readonly options: ChannelOptions;
}

/** What a channel sees of a charge. Amounts in minor units; times in unix seconds. */
export interface ChargeView {
  readonly id: string;
  readonly app_id: string;
  readonly livemode: boolean;
  /** The channel code asked for, e.g. `alipay_qr`, `wx_pub`, `test`. */
  readonly channel: string;
  readonly order_no: string;
  readonly type: string;
  readonly amount: number;
  readonly amount_refunded: number;
  readonly currency: string;
  readonly subject: string;
  readonly body: string;
  readonly description: string | null;
  readonly client_ip: string;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly status: ChargeStatus;
  readonly transaction_no: string | null;
  readonly created: number;
  readonly time_expire: number;
  /** Where the buyer lands after paying (paygate's result page unless the app set one). */
  readonly return_url: string | null;
}

export interface RefundView {
  readonly id: string;
  readonly charge_id: string;
  readonly amount: number;
  readonly description: string;
  /** Sequence of this refund on its charge (1, 2, …), for channels that number refunds. */
  readonly seq: number;
}

export interface ShipmentView {
  readonly logistics_name: string;
  readonly invoice_no: string;
  readonly transport_type: string;
}

/** A raw inbound request (notify, return), exactly as received. */
export interface InboundRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string>>;
  /** The raw body text, byte for byte; signatures are checked on this. */
  readonly rawBody: string;
}

/** A reply in the channel's own format (`success`, WeChat XML, 204 …). */
export interface OutboundReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The logged HTTP transport a channel uses to talk to its provider. */
export interface ChannelHttp {
  request(request: ChannelHttpRequest): Promise<ChannelHttpResponse>;
}
export interface ChannelHttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Mutual TLS client certificate (WeChat v2 refunds in live mode). */
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly timeoutMs?: number;
  /** Names of request fields to mask in logs (besides the engine's defaults). */
  readonly secretFields?: readonly string[];
}
export interface ChannelHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ChannelContext {
  /** The channel that collects the money (for pay-on-behalf, the delegate). */
  readonly channel: ChannelConfig;
  readonly urls: {
    /** paygate's public base URL, e.g. `http://127.0.0.1:8080`. */
    readonly base: string;
    /** Where this channel's provider posts notifications: `${base}/notify/${channel.id}`. */
    readonly notify: string;
    /** Where the provider sends the buyer back: `${base}/return/${channel.id}`. */
    readonly return: string;
    /** paygate's result page for a charge. */
    result(chargeId: string): string;
  };
  readonly http: ChannelHttp;
  readonly clock: Clock;
  /** Adds a line to the charge's log (or the orphan log when there is no charge yet). */
  log(message: string, data?: Readonly<Record<string, unknown>>): void;
}

/** A channel's decline is data, not an exception. */
export type ChannelDecline = { readonly ok: false; readonly code: string; readonly message: string };
export type ChannelResult<T extends object = object> = ({ readonly ok: true } & T) | ChannelDecline;

export type PaymentCreated = ChannelResult<{
  /** Goes into `charge.credential[charge.channel]`. */
  readonly credential: Readonly<Record<string, unknown>>;
  /** Channel-side facts worth keeping on the charge (prepay_id, code_url …) for webhooks. */
  readonly extension?: Readonly<Record<string, unknown>>;
}>;

/** What a verified notification says happened. */
export type NotifyEvent =
  | { readonly kind: 'pending' }
  | { readonly kind: 'paid' }
  | { readonly kind: 'secured_paid' }
  | { readonly kind: 'shipped' }
  | { readonly kind: 'confirmed' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'refund'; readonly refund_reference: string; readonly amount: number; readonly status: 'succeeded' | 'failed' };

export type NotifyParseResult =
  | {
      readonly verified: false;
      /** Why it was refused, for the log. */
      readonly reason: string;
      /** The charge it claims to be about, if it could be read, so the log lands on the charge. */
      readonly charge_id?: string;
    }
  | {
      readonly verified: true;
      /** paygate's charge id (the `out_trade_no` paygate sent). */
      readonly charge_id: string;
      readonly event: NotifyEvent;
      /** The order amount the provider reports, in minor units; the engine checks it equals the charge's. */
      readonly amount: number;
      readonly transaction_no?: string;
      /** When the buyer paid, unix ms. */
      readonly paid_at?: number;
      /** Provider facts for webhooks (buyer id, trade type …). */
      readonly facts?: Readonly<Record<string, unknown>>;
      /** A stable id of this notification at the provider (notify_id …), for the log. */
      readonly notification_id?: string;
    };

/** The state of a charge at the provider (query, reconcile). */
export type ChannelChargeState = ChannelResult<{
  readonly status: 'not_found' | 'pending' | 'paid' | 'secured_paid' | 'shipped' | 'succeeded' | 'closed';
  readonly amount?: number;
  readonly transaction_no?: string;
  readonly paid_at?: number;
  readonly facts?: Readonly<Record<string, unknown>>;
}>;

export type RefundResult = ChannelResult<{
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly transaction_no?: string;
}>;

export interface ChannelType {
  /** `test`, `alipay`, `wechat`. */
  readonly type: string;
  readonly title: { readonly en: string; readonly zh: string };
  /** Channel codes this type serves. */
  readonly codes: readonly string[];
  readonly options: readonly OptionField[];
  /** Channel codes that are escrow (担保交易) flows, or a predicate over the charge. */
  isEscrow?(charge: Pick<ChargeView, 'channel' | 'extra'>): boolean;
  /** Only usable in test mode (the built-in test channel). */
  readonly testOnly?: boolean;
  /** Cross-field checks after each field passed its own; throw PaygateError with `param`. */
  validateOptions?(options: ChannelOptions, livemode: boolean): void;
  /** Options filled in when absent, e.g. the sandbox gateway in test mode. */
  defaultOptions?(livemode: boolean, baseUrl: string): Readonly<Record<string, OptionValue>>;
  /** Checks channel-specific charge input (`extra.open_id` …); throw PaygateError with `param`. */
  validateCharge?(charge: Pick<ChargeView, 'channel' | 'extra' | 'livemode'>): void;

  createPayment(ctx: ChannelContext, charge: ChargeView): Promise<PaymentCreated>;
  parseNotify?(ctx: ChannelContext, request: InboundRequest): Promise<NotifyParseResult>;
  /** The answer to the provider: `ok` only after the change committed. `request` is the notify
   * being answered, for providers whose answer depends on it (WeChat v2 XML vs v3 JSON). */
  acknowledgeNotify?(ok: boolean, request?: InboundRequest): OutboundReply;
  /** The synchronous return (buyer's browser); verified like a notify. */
  parseReturn?(ctx: ChannelContext, request: InboundRequest): Promise<NotifyParseResult>;
  query?(ctx: ChannelContext, charge: ChargeView): Promise<ChannelChargeState>;
  close?(ctx: ChannelContext, charge: ChargeView): Promise<ChannelResult>;
  refund?(ctx: ChannelContext, charge: ChargeView, refund: RefundView): Promise<RefundResult>;
  queryRefund?(ctx: ChannelContext, charge: ChargeView, refund: RefundView): Promise<RefundResult>;
  /** Escrow: tells the provider the goods shipped. `confirmed` when the buyer's confirmation is
   * already known (the test channel can auto-confirm, like seed 002's TestApi). */
  ship?(ctx: ChannelContext, charge: ChargeView, shipment: ShipmentView): Promise<ChannelResult<{ readonly confirmed?: boolean }>>;
  /**
   * Test mode only: asks the provider's sandbox to act as the buyer (pay, fail, confirm receipt),
   * so the whole notify path runs. Without it, the engine applies the outcome directly.
   * Returns `handled: false` when the sandbox cannot do it and the engine should apply it itself.
   */
  simulate?(ctx: ChannelContext, charge: ChargeView, outcome: 'paid' | 'secured_paid' | 'failed' | 'confirm'): Promise<ChannelResult<{ readonly handled: boolean }>>;
  /** A harmless call that proves the credentials work (e.g. query a trade that does not exist). */
  testConnection?(ctx: ChannelContext): Promise<ChannelResult<{ readonly message: string }>>;
}
