/** The default format: the event object itself (`{id, object:"event", type, created, livemode, app, data:{object}}`). */
import { toEventObject } from '../../engine/charge-queries.js';
import type { PayloadFormat } from './types.js';

export const eventFormat: PayloadFormat = {
  name: 'event',
  accepts: () => true,
  render: ({ event }) => JSON.stringify(toEventObject(event)),
};
