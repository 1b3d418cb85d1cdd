/**
 * What `npm run bench` measures, in order. To add a benchmark, write a `BenchSection` (section.ts)
 * and list it here. `bench/alipay-notify.ts`, `bench/wechat-notify.ts` and `bench/webhooks.ts`
 * (owned by their areas) are picked up automatically when present.
 */
import type { BenchSection } from './section.js';
import { chargeCreation } from './charge-creation.js';
import { consoleList } from './admin-list.js';

export const BENCH_SECTIONS: BenchSection[] = [
  chargeCreation,
  consoleList,
];

/** Benchmarks other areas own; each module, when its file exists, exports `benchmark: BenchSection`. */
export const OPTIONAL_SECTION_MODULES: readonly string[] = ['alipay-notify', 'wechat-notify', 'webhooks'];
