/**
 * A Vue `PaymentMixin` shaped as in seed 000 (works with Vue 2 and the Options API of Vue 3; it
 * needs no Vue import):
 *
 *   mixins: [PaymentMixin],
 *   async payNow() {
 *     this.watchChargeStatus((charge) => { if (charge.status === 'succeeded') … });
 *     const charge = await this.createCharge({ amount: 100, subject: '…', channel: 'ALIPAY', trade_no: order.id });
 *     const { pay_url } = await this.fetchPayUrl(charge, { channel: 'ALIPAY' });
 *   }
 *
 * `watchChargeStatus(callback)` may come before `createCharge` (as in the seed): it starts once the
 * component has a charge. `createPaymentMixin({ createChargeUrl, baseUrl })` makes one with other
 * settings; the watch stops when the component is destroyed.
 */
import { createCharge, fetchPayUrl } from './charges.js';
import { watchChargeStatus, type ChargeWatch } from './watch.js';
import { pay } from './pay.js';
import type { Charge, PaygateConfig } from './types.js';

type Callback = (charge: Charge) => void;

interface MixinState {
  charge: Charge | null;
  chargeStatus: string | null;
  _paygateWatch?: ChargeWatch;
  _paygateCallback?: Callback;
}

export function createPaymentMixin(options: Partial<PaygateConfig> = {}) {
  function startWatch(self: MixinState, charge: Charge, callback: Callback): ChargeWatch {
    self._paygateWatch?.stop();
    self._paygateWatch = watchChargeStatus(charge, (next) => {
      self.chargeStatus = String(next.status);
      callback(next);
    }, options);
    return self._paygateWatch;
  }
  const cleanup = function (this: MixinState) { this._paygateWatch?.stop(); };
  return {
    data: (): Pick<MixinState, 'charge' | 'chargeStatus'> => ({ charge: null, chargeStatus: null }),
    methods: {
      async createCharge(this: MixinState, chargeData: Record<string, unknown>): Promise<Charge> {
        const charge = await createCharge(chargeData, options);
        this.charge = charge;
        this.chargeStatus = String(charge.status ?? 'pending');
        if (this._paygateCallback) startWatch(this, charge, this._paygateCallback);
        return charge;
      },
      fetchPayUrl(this: MixinState, charge: Charge | null, fetchOptions: { channel?: string } = {}): Promise<{ pay_url: string }> {
        const target = charge ?? this.charge;
        if (!target) return Promise.reject(new Error('fetchPayUrl needs a charge: call createCharge first'));
        return fetchPayUrl(target, { ...options, ...fetchOptions });
      },
      /** `watchChargeStatus(callback)` (seed 000) or `watchChargeStatus(charge, callback)`. */
      watchChargeStatus(this: MixinState, chargeOrCallback: Charge | Callback, maybeCallback?: Callback): void {
        const callback = typeof chargeOrCallback === 'function' ? chargeOrCallback : maybeCallback;
        if (!callback) throw new Error('watchChargeStatus needs a callback');
        const charge = typeof chargeOrCallback === 'function' ? this.charge : chargeOrCallback;
        this._paygateCallback = callback;
        if (charge) startWatch(this, charge, callback);
      },
      pay(this: MixinState, charge?: Charge) {
        const target = charge ?? this.charge;
        if (!target) return Promise.reject(new Error('pay needs a charge: call createCharge first'));
        return pay(target);
      },
    },
    beforeDestroy: cleanup,
    beforeUnmount: cleanup,
  };
}

/** The mixin with the global settings of `configure()`. */
export const PaymentMixin = createPaymentMixin();
