/**
 * `GET /v1/charges/:id/stream`: Server-Sent Events of one charge's state, for
 * `watchChargeStatus`. Readable with the secret key, a publishable key or the charge's
 * `client_secret` (header, or `?client_secret=` since EventSource cannot send headers). The first
 * message is the current state; every change follows as `event: charge`; the stream ends after a
 * final state (succeeded, closed). Changes made by any paygate process arrive (see charge-watch.ts).
 */
import type { ServerResponse } from 'node:http';
import type { RoutePlugin } from './index.js';
import { chargeScope, requireChargeReader } from '../auth.js';
import { ERROR_RESPONSES, IdParams } from '../schemas/common.js';
import { FINAL_STATUSES } from '../../core/charge-state.js';
import type { ChargeObject } from '../../engine/api-types.js';
import { createChargeWatch } from '../../webhooks/charge-watch.js';

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export const chargeStreamRoutes: RoutePlugin = async (app, { paygate }) => {
  const watch = createChargeWatch({ bus: paygate.bus, database: paygate.deps.database });
  const open = new Set<ServerResponse>();
  // Streams never end on their own before a final state: end them so the server can close.
  app.addHook('preClose', async () => { for (const res of open) res.end(); });
  app.addHook('onClose', async () => watch.close());

  app.get<{ Params: IdParams }>('/v1/charges/:id/stream', {
    onRequest: requireChargeReader(paygate),
    config: { browser: true },
    schema: {
      tags: ['charges'], summary: 'Watch a charge: Server-Sent Events of its state until it is final', params: IdParams,
      response: { 200: { description: 'text/event-stream: `event: charge` messages whose data is the charge object.', type: 'string' }, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const id = request.params.id;
    const scope = chargeScope(request, id);
    const first = await paygate.charges.retrieve(scope, id); // a 404 is still an ordinary JSON error

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      // The credential is in the request itself, never in a cookie: any page may watch.
      'access-control-allow-origin': '*',
    });
    res.write('retry: 2000\n\n');
    open.add(res);

    let lastSent = '';
    let seq = 0;
    let ended = false;
    let unsubscribe: () => void = () => undefined;
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
      res.end();
    };
    const send = (charge: ChargeObject) => {
      if (ended) return;
      const key = `${charge.status}/${charge.amount_refunded}`;
      if (key !== lastSent) {
        lastSent = key;
        res.write(`event: charge\nid: ${++seq}\ndata: ${JSON.stringify(charge)}\n\n`);
      }
      if (FINAL_STATUSES.has(charge.status)) end();
    };

    // Reads run one after another, so a slow read can never send an older state after a newer one.
    let reading = Promise.resolve();
    const reread = () => {
      reading = reading.then(async () => {
        if (!ended) send(await paygate.charges.retrieve(scope, id));
      }).catch(() => end());
    };
    unsubscribe = watch.subscribe(id, reread);
    res.on('close', end);
    send(first);
    // A change between the first read and the subscription would otherwise go unseen.
    if (!ended) reread();
  });
};
