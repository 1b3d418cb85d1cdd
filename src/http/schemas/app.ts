/** Schemas of the app object and of key rolling. */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, UnixTime } from './common.js';

export const App = Type.Object({
  id: Type.String({ description: 'app_…' }),
  object: Type.Literal('app'),
  name: Type.String(),
  requires_payment: Type.Boolean(),
  allowed_redirect_hosts: Type.Array(Type.String()),
  created: UnixTime(),
  payment_ready: Type.Object({ test: Type.Boolean(), live: Type.Boolean() }, { description: 'Whether the app has an enabled channel in each mode.' }),
  missing: Type.Array(Type.String(), { description: 'What is missing before the app can take payments, in words.' }),
}, { description: 'An app (tenant).' });

export const KeyRollBody = Type.Object({
  kind: Type.Optional(StringEnum(['secret', 'publishable'], 'Which key to roll (default secret).')),
  livemode: Type.Optional(Type.Boolean({ description: 'Default: the calling key\'s mode (and it must match it).' })),
}, { additionalProperties: false });
export type KeyRollBody = Static<typeof KeyRollBody>;

export const RolledKey = Type.Object({
  object: Type.Literal('api_key'),
  app: Type.String(),
  kind: Type.String(),
  livemode: Type.Boolean(),
  key: Type.String({ description: 'The new key. Shown once; the previous key of this kind and mode stops working now.' }),
});
