/**
 * Builds what a channel is given for one call: its decrypted configuration (with the type's
 * defaults, e.g. the sandbox gateway in test mode), paygate's URLs, the logged transport, and a
 * log. Channel calls run outside database transactions, so no lock is held while a provider
 * answers; the collected log lines are written afterwards.
 */
import type { Selectable } from 'kysely';
import type { ChannelsTable } from '../store/schema.js';
import type { ChannelConfig, ChannelContext, ChannelOptions, ChannelType, OptionValue } from '../channels/contract.js';
import type { EngineDeps } from './deps.js';
import type { LogLine } from './charge-log.js';
import { appendLog } from './charge-log.js';
import { loggedChannelHttp } from './channel-http.js';
import { parseJsonObject } from './charge-object.js';

export type ChannelRow = Selectable<ChannelsTable>;

/** Decrypted configurations, keyed by the stored text itself (every save re-seals the secrets
 * with a fresh IV, so any change makes a new key) and the base URL the defaults depend on. */
const configMemo = new Map<string, ChannelConfig>();

/** The same lookup by row object: rows served from the channel cache are the same object on
 * every request, and this skips building the text key above (the sealed secrets are long). */
const configByRow = new WeakMap<ChannelRow, { readonly publicUrl: string; readonly config: ChannelConfig }>();

export function channelConfig(deps: EngineDeps, row: ChannelRow, type: ChannelType): ChannelConfig {
  const byRow = configByRow.get(row);
  if (byRow && byRow.publicUrl === deps.config.publicUrl) return byRow.config;
  const memoKey = `${row.id}\0${row.type}\0${row.options}\0${row.secret_options}\0${deps.config.publicUrl}`;
  let config = configMemo.get(memoKey);
  if (!config) {
    config = decryptConfig(deps, row, type);
    if (configMemo.size >= 1_000) configMemo.delete(configMemo.keys().next().value as string);
    configMemo.set(memoKey, config);
  }
  configByRow.set(row, { publicUrl: deps.config.publicUrl, config });
  return config;
}

function decryptConfig(deps: EngineDeps, row: ChannelRow, type: ChannelType): ChannelConfig {
  const secret = row.secret_options ? (JSON.parse(deps.secrets.open(row.secret_options)) as Record<string, OptionValue>) : {};
  const defaults = type.defaultOptions?.(row.livemode === 1, deps.config.publicUrl) ?? {};
  const options: ChannelOptions = { ...defaults, ...(parseJsonObject(row.options) as Record<string, OptionValue>), ...secret };
  return { id: row.id, app_id: row.app_id, type: row.type, name: row.name, livemode: row.livemode === 1, options };
}

export interface ChannelCall {
  readonly ctx: ChannelContext;
  readonly type: ChannelType;
  /** Writes the lines the call produced (requests, responses, notes). */
  flushLog(): Promise<void>;
  /** Hands over the lines not yet written, ready to write with others (secrets marked for masking). */
  takeLines(chargeId?: string | null): LogLine[];
}

/** `row` is the channel that collects the money; `shownChannelId` the one the charge is shown under. */
export function channelCall(deps: EngineDeps, row: ChannelRow, chargeId: string | null, shownChannelId: string = row.id): ChannelCall {
  const type = deps.channels.getType(row.type);
  const lines: LogLine[] = [];
  const logBase = { charge_id: chargeId, app_id: row.app_id, channel_id: shownChannelId };
  const secretFields = type.options.filter((f) => f.secret).map((f) => f.name);
  const base = deps.config.publicUrl.replace(/\/+$/, '');
  const ctx: ChannelContext = {
    channel: channelConfig(deps, row, type),
    urls: {
      base,
      notify: `${base}/notify/${row.id}`,
      return: `${base}/return/${row.id}`,
      result: (id) => `${base}/pay/result/${id}`,
    },
    http: loggedChannelHttp(deps.config.channelTimeoutMs, logBase, lines),
    clock: deps.clock,
    log: (message, data) => lines.push({ ...logBase, kind: 'note', message, data, secretFields }),
  };
  function takeLines(chargeId?: string | null): LogLine[] {
    return lines.splice(0, lines.length).map((line) => ({
      ...line, ...(chargeId === undefined ? {} : { charge_id: chargeId }), secretFields: [...(line.secretFields ?? []), ...secretFields],
    }));
  }
  return {
    ctx,
    type,
    takeLines,
    flushLog: () => appendLog(deps.database, deps.clock.now(), takeLines()),
  };
}
