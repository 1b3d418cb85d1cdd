/**
 * The default format: the event object itself (`{id, object:"event", type, created, livemode, app,
 * data:{object}}`). Written by hand around the stored object's JSON text — byte for byte what
 * `JSON.stringify(toEventObject(row))` gives (a test holds it to that), without parsing the object
 * and writing it out again for every event.
 */
import type { PayloadFormat } from './types.js';

export const eventFormat: PayloadFormat = {
  name: 'event',
  accepts: () => true,
  render: ({ event }) => `{"id":${JSON.stringify(event.id)},"object":"event","type":${JSON.stringify(event.type)},"created":${Math.floor(event.created_at / 1000)},"livemode":${event.livemode === 1},"app":${JSON.stringify(event.app_id)},"data":{"object":${event.data}}}`,
};
