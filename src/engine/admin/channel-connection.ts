/**
 * "Test connection" for a configured channel: the type's `testConnection` makes a harmless call
 * (e.g. a query of a trade that does not exist) and the answer is reported in words. Transport
 * failures are answers too: an operator needs "cannot reach the gateway", not a stack trace.
 */
import { isPaygateError } from '../../core/errors.js';
import type { EngineDeps } from '../deps.js';
import { findChannelRow } from '../channels.js';
import { channelCall } from '../channel-context.js';

export interface ConnectionReport {
  readonly ok: boolean;
  /** `unsupported` when the channel type has no test; otherwise the channel's code on failure. */
  readonly code: string | null;
  readonly message: string;
  readonly duration_ms: number;
}

export async function testChannelConnection(deps: EngineDeps, channelId: string): Promise<ConnectionReport> {
  const row = await findChannelRow(deps, null, channelId);
  const call = channelCall(deps, row, null);
  const started = Date.now();
  if (!call.type.testConnection) {
    return { ok: false, code: 'unsupported', message: `The ${call.type.title.en} cannot test its connection.`, duration_ms: 0 };
  }
  try {
    const result = await call.type.testConnection(call.ctx);
    const duration = Date.now() - started;
    return result.ok
      ? { ok: true, code: null, message: result.message, duration_ms: duration }
      : { ok: false, code: result.code, message: result.message, duration_ms: duration };
  } catch (error) {
    const message = isPaygateError(error) || error instanceof Error ? error.message : String(error);
    return { ok: false, code: isPaygateError(error) ? error.code : 'error', message, duration_ms: Date.now() - started };
  } finally {
    // The requests it made are kept in the orphan log (no charge), masked like any other.
    await call.flushLog();
  }
}
