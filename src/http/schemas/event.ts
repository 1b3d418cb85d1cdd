/** Schemas of events (`evt_…`), the immutable records webhooks deliver. */
import { Type, type Static } from '@sinclair/typebox';
import { FreeObject, ListOf, UnixTime } from './common.js';

export const Event = Type.Object({
  id: Type.String({ description: 'evt_…' }),
  object: Type.Literal('event'),
  type: Type.String({ description: 'charge.succeeded, refund.succeeded, channel.enabled …' }),
  created: UnixTime(),
  livemode: Type.Boolean(),
  app: Type.String(),
  data: Type.Object({ object: FreeObject('The object as it was right after the change.') }),
}, { description: 'Something that happened.' });

export const EventList = ListOf(Event, 'Events, newest first.');

export const EventListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size, 1 to 100 (default 10).' })),
  starting_after: Type.Optional(Type.String({ maxLength: 64, description: 'An event id: the page continues with older events.' })),
  type: Type.Optional(Type.String({ maxLength: 64, description: 'Only events of this type.' })),
  charge: Type.Optional(Type.String({ maxLength: 64, description: 'Only events about this charge.' })),
}, { additionalProperties: false });
export type EventListQuery = Static<typeof EventListQuery>;
