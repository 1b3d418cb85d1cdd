/**
 * The channel types paygate knows. Adding a channel type is adding it to `BUILT_IN_CHANNEL_TYPES`;
 * the engine finds channels by type and by channel code through this registry only.
 */
import type { ChannelType } from './contract.js';
import { PaygateError } from '../core/errors.js';
import { testChannel } from './test/test-channel.js';
import { alipayChannel } from './alipay/alipay-channel.js';
import { wechatChannel } from './wechat/wechat-channel.js';

export const BUILT_IN_CHANNEL_TYPES: readonly ChannelType[] = [testChannel, alipayChannel, wechatChannel];

export class ChannelRegistry {
  private readonly byType = new Map<string, ChannelType>();
  private readonly byCode = new Map<string, ChannelType>();

  constructor(types: readonly ChannelType[] = BUILT_IN_CHANNEL_TYPES) {
    for (const type of types) this.register(type);
  }

  register(type: ChannelType): void {
    if (this.byType.has(type.type)) throw new Error(`channel type ${type.type} is registered twice`);
    for (const code of type.codes) {
      const other = this.byCode.get(code);
      if (other) throw new Error(`channel code ${code} is claimed by both ${other.type} and ${type.type}`);
    }
    this.byType.set(type.type, type);
    for (const code of type.codes) this.byCode.set(code, type);
  }

  types(): ChannelType[] {
    return [...this.byType.values()];
  }

  codes(): string[] {
    return [...this.byCode.keys()];
  }

  getType(type: string, param = 'type'): ChannelType {
    const found = this.byType.get(type);
    if (!found) throw new PaygateError('channel_type_unknown', { param, message: `Unknown channel type "${type}"; use one of ${[...this.byType.keys()].join(', ')}.` });
    return found;
  }

  forCode(code: string, param = 'channel'): ChannelType {
    const found = this.byCode.get(code);
    if (!found) throw new PaygateError('channel_code_unknown', { param, message: `Unknown channel "${code}"; use one of ${this.codes().join(', ')}.` });
    return found;
  }
}
