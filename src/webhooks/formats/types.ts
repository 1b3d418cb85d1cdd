/** What a payload format is given to render one event for one destination. */
import type { Selectable } from 'kysely';
import type { ChannelsTable, ChargesTable, EventsTable } from '../../store/schema.js';

export const WEBHOOK_FORMATS = ['event', 'capi', 'scrm'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export interface PayloadContext {
  /** The outbox row, whose `data` is the object as it was at the change. */
  readonly event: Selectable<EventsTable>;
  /** The charge the event is about (its current row: channel facts live in `extension`). */
  readonly charge?: Selectable<ChargesTable>;
  /** The configured channel the event's object is shown under. */
  readonly channel?: Selectable<ChannelsTable>;
}

/** A format: which event types it can express, and the body it sends for one. */
export interface PayloadFormat {
  readonly name: WebhookFormat;
  /** Whether this format has a message for the event type (others are not delivered in it). */
  accepts(eventType: string): boolean;
  /** The body, as JSON text; `undefined` when the context lacks what the message needs. */
  render(context: PayloadContext): string | undefined;
}
