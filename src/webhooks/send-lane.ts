/**
 * The dispatcher's sending side: claimed deliveries wait here for one of `concurrency` slots,
 * are sent, judged, and handed back as outcomes; it never touches the database. A delivery whose
 * lease would run out before its send could finish is not started but set aside to be given back.
 */
import type { Clock } from '../core/clock.js';
import type { ClaimedDelivery, SendOutcome } from './delivery-claims.js';
import type { ReadyDelivery } from './dispatch-cycle.js';
import type { WebhookResponse, WebhookSender } from './http-sender.js';
import { buildDeliveryRequest } from './delivery-request.js';
import { judgeResponse } from './judge-response.js';

interface Queued extends ReadyDelivery {
  readonly claimedAt: number;
}

export interface SendLaneOptions {
  readonly sender: WebhookSender;
  readonly clock: Clock;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly leaseMs: number;
  /** The average send duration assumed before any was measured, ms. */
  readonly initialSendMs: number;
  /** Every finished send, in the order they finish. */
  readonly onOutcome: (outcome: SendOutcome) => void;
}

export interface SendLane {
  /** Queues claimed deliveries and starts as many as there are free slots. */
  enqueue(ready: readonly ReadyDelivery[]): void;
  /** Deliveries waiting for a slot. */
  readonly queued: number;
  /** Sends under way. */
  readonly sending: number;
  /** Running average of a send's duration, ms. */
  readonly averageSendMs: number;
  /** Deliveries whose lease ran too short before a slot came free. */
  readonly expiredCount: number;
  /** Takes the expired deliveries, to give back. */
  takeExpired(): ClaimedDelivery[];
  /** Puts back deliveries that could not be given back, to try again. */
  returnExpired(deliveries: readonly ClaimedDelivery[]): void;
  /** Takes everything not started (expired and queued), for a stop. */
  takeUnsent(): ClaimedDelivery[];
  /** Resolves when no send is under way. */
  idle(): Promise<void>;
}

export function createSendLane(options: SendLaneOptions): SendLane {
  const { sender, clock, concurrency, timeoutMs, leaseMs } = options;
  const queue: Queued[] = [];
  const sends = new Set<Promise<void>>();
  let expired: ClaimedDelivery[] = [];
  let sending = 0;
  let sendMs = options.initialSendMs;

  async function send(entry: Queued): Promise<void> {
    const { delivery } = entry;
    const startedAt = clock.now();
    let response: WebhookResponse;
    try {
      response = await sender.send(buildDeliveryRequest(delivery, entry.body, entry.secrets, startedAt));
    } catch (error) {
      // Not the receiver's fault (a secret that does not decrypt…), but still an attempt to record.
      response = { status: null, durationMs: 0, body: null, error: `paygate could not send: ${error instanceof Error ? error.message : String(error)}` };
    }
    const verdict = judgeResponse(response, delivery.require_success_body === 1);
    sendMs += (Math.max(response.durationMs, clock.now() - startedAt) - sendMs) / 8;
    sending--;
    options.onOutcome({ delivery, startedAt, durationMs: response.durationMs, httpStatus: response.status, excerpt: verdict.excerpt, error: verdict.error, succeeded: verdict.succeeded });
    pump();
  }

  /** Starts queued sends while there are free slots. */
  function pump(): void {
    while (sending < concurrency && queue.length > 0) {
      const next = queue.shift()!;
      // Never start a send that could outlive its lease: give the delivery back instead.
      if (clock.now() + timeoutMs >= next.claimedAt + leaseMs) {
        expired.push(next.delivery);
        continue;
      }
      sending++;
      const task = send(next);
      sends.add(task);
      void task.finally(() => sends.delete(task));
    }
  }

  return {
    enqueue(ready) {
      const claimedAt = clock.now();
      for (const entry of ready) queue.push({ ...entry, claimedAt });
      pump();
    },
    get queued() { return queue.length; },
    get sending() { return sending; },
    get averageSendMs() { return sendMs; },
    get expiredCount() { return expired.length; },
    takeExpired() {
      const taken = expired;
      expired = [];
      return taken;
    },
    returnExpired(deliveries) {
      expired = [...deliveries, ...expired];
    },
    takeUnsent() {
      return [...expired.splice(0), ...queue.splice(0).map((entry) => entry.delivery)];
    },
    async idle() {
      while (sends.size > 0) await Promise.allSettled([...sends]);
    },
  };
}
