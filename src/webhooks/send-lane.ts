/**
 * The dispatcher's sending side: claimed deliveries wait here for one of `concurrency` slots,
 * are sent, judged, and handed back as outcomes; it never touches the database. Only a delivery
 * holding a start permit (delivery-permits.ts) is started; the others wait until the dispatcher
 * has permitted them (`takeForPermit`, then `permitsWritten`). A delivery whose lease would run
 * out before its send could finish is not started (nor permitted) but set aside to be given back.
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
  /** Queues claimed deliveries and starts as many permitted ones as there are free slots. */
  enqueue(ready: readonly ReadyDelivery[]): void;
  /** Deliveries waiting for a slot, permitted or not (or being permitted). */
  readonly queued: number;
  /** Permitted deliveries waiting for a slot. */
  readonly permitted: number;
  /** Deliveries waiting for a permit (not counting those being permitted). */
  readonly unpermitted: number;
  /** Takes up to `max` deliveries waiting for a permit, oldest first, to permit them. */
  takeForPermit(max: number): ClaimedDelivery[];
  /**
   * After a permit write for what `takeForPermit` took: the permitted deliveries (one missing is
   * no longer ours and is dropped), or undefined if the write failed (all set aside to be given
   * back: the write may have counted them). Answers how many were dropped.
   */
  permitsWritten(permitted: readonly ClaimedDelivery[] | undefined): number;
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
  /** Permitted, in the order claimed. */
  const queue: Queued[] = [];
  /** Claimed only, in the order claimed. */
  const awaitingPermit: Queued[] = [];
  /** Taken by `takeForPermit`, by delivery id, until `permitsWritten`. */
  let permitting = new Map<string, Queued>();
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

  /** Whether a send started now could outlive the lease. */
  const tooLate = (entry: Queued) => clock.now() + timeoutMs >= entry.claimedAt + leaseMs;

  /** Starts queued sends while there are free slots. */
  function pump(): void {
    while (sending < concurrency && queue.length > 0) {
      const next = queue.shift()!;
      // Never start a send that could outlive its lease: give the delivery back instead.
      if (tooLate(next)) {
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
      for (const entry of ready) (entry.delivery.permit_token === null ? awaitingPermit : queue).push({ ...entry, claimedAt });
      pump();
    },
    get queued() { return queue.length + awaitingPermit.length + permitting.size; },
    get permitted() { return queue.length; },
    get unpermitted() { return awaitingPermit.length; },
    takeForPermit(max) {
      const taken: ClaimedDelivery[] = [];
      while (taken.length < max && awaitingPermit.length > 0) {
        const next = awaitingPermit.shift()!;
        // Not worth a permit if it could not be sent in time anyway.
        if (tooLate(next)) {
          expired.push(next.delivery);
          continue;
        }
        permitting.set(next.delivery.id, next);
        taken.push(next.delivery);
      }
      return taken;
    },
    permitsWritten(permitted) {
      const taken = permitting;
      permitting = new Map();
      if (permitted === undefined) {
        expired.push(...[...taken.values()].map((entry) => entry.delivery));
        return 0;
      }
      for (const delivery of permitted) queue.push({ ...taken.get(delivery.id)!, delivery });
      pump();
      return taken.size - permitted.length;
    },
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
      return [...expired.splice(0), ...[...queue.splice(0), ...awaitingPermit.splice(0)].map((entry) => entry.delivery)];
    },
    async idle() {
      while (sends.size > 0) await Promise.allSettled([...sends]);
    },
  };
}
