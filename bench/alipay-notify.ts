/**
 * Issue 4's benchmark, two ratios measured in one run on this machine:
 * - notify ingestion: verified Alipay notifies processed per second through paygate's notify
 *   pipeline (`paygate.notify.ingest`: parse, RSA2 verify, app/seller/amount checks, transition,
 *   event, log, all committed) against bare `crypto.verify` of the same payloads (target ≥ 30 %);
 * - pay-URL signing: alipay_pc_direct credentials made by the channel per second against bare
 *   `crypto.sign` of the same content (target ≥ 80 %).
 * Notifies are pre-signed (signing is not what is measured) and each moves its own pending
 * charge, so every ingestion is a real transition; the charges are inserted in bulk beforehand.
 */
import { performance } from 'node:perf_hooks';
import { createVerify, createSign, randomBytes, type KeyObject } from 'node:crypto';
import { openDatabase } from '../dist/store/database.js';
import { migrateToLatest } from '../dist/store/migrate.js';
import { createPaygate } from '../dist/engine/paygate.js';
import type { ChannelContext, ChargeView } from '../dist/channels/contract.js';
import { generateRsaKeyPair, parsePrivateKey, parsePublicKey } from '../dist/channels/alipay/keys.js';
import { notifySignContent, requestSignContent, signNotify } from '../dist/channels/alipay/sign.js';
import { createAlipayPayment } from '../dist/channels/alipay/payments.js';
import { alipayChannel } from '../dist/channels/alipay/alipay-channel.js';
import { formatAlipayTime } from '../dist/channels/alipay/time.js';
import { manualClock } from '../dist/core/clock.js';
import { fixed, type BenchContext, type BenchSection, type BenchSectionResult } from './section.js';
import { benchDatabase, postgresAnswers } from './support/databases.js';
import { benchChargeIds, ceilingNotes, ceilingRows, interleavedTimes, notifiedCounts, pool, rate, seedPendingCharges, StoreReplay, WARMUP_NOTIFIES, type Rate } from './support/notify-ingest.js';

export const TARGETS = { ingestRatio: 0.3, signRatio: 0.8 } as const;
interface IngestRun {
  readonly dialect: 'sqlite' | 'postgres';
  readonly bareVerify: Rate;
  /** The channel's share alone: parse, verify and merchant checks, no storage. */
  readonly channelParse: Rate;
  readonly ingest: Rate;
  /** The same transition writes through the store alone (StoreReplay): ingestion's ceiling. */
  readonly store: Rate;
  /** Parse and verify, read, the same writes (StoreReplay's least phase): the tighter ceiling. */
  readonly least: Rate;
  readonly succeeded: number;
  readonly events: number;
}

function notifyBody(chargeId: string, appId: string, alipayKey: KeyObject, now: number): string {
  const params = signNotify({
    notify_time: formatAlipayTime(now), notify_type: 'trade_status_sync', notify_id: randomBytes(16).toString('hex'),
    app_id: appId, auth_app_id: appId, charset: 'utf-8', version: '1.0', trade_no: `20260101220${randomBytes(8).toString('hex')}`,
    out_trade_no: chargeId, trade_status: 'TRADE_SUCCESS', total_amount: '0.10', receipt_amount: '0.10', buyer_pay_amount: '0.10',
    invoice_amount: '0.10', point_amount: '0.00', seller_id: '2088000000000001', buyer_id: '2088102534368455', buyer_logon_id: 'buy***@bench',
    gmt_create: formatAlipayTime(now - 3000), gmt_payment: formatAlipayTime(now), subject: 'Benchmark',
    fund_bill_list: '[{"amount":"0.10","fundChannel":"ALIPAYACCOUNT"}]',
  }, alipayKey);
  return new URLSearchParams(params).toString();
}

async function ingestRun(ctx: BenchContext, dialect: 'sqlite' | 'postgres', count: number): Promise<IngestRun> {
  const bench = await benchDatabase(dialect, ctx.pgAdminUrl);
  const database = openDatabase(bench.url);
  try {
    await migrateToLatest(database);
    const replay = new StoreReplay(database);
    const paygate = createPaygate({ database: replay.database, masterKey: randomBytes(32), publicUrl: 'http://127.0.0.1:8080' });
    const merchant = generateRsaKeyPair();
    const alipay = generateRsaKeyPair();
    const appId = '9021000000000001';
    const { app } = await paygate.apps.create({ name: 'Bench' });
    const channel = await paygate.channels.create(app.id, { type: 'alipay', livemode: false, options: { app_id: appId, private_key: merchant.privateKeyPem, alipay_public_key: alipay.publicKeyPem } });
    const now = Date.now();
    const ids = benchChargeIds(WARMUP_NOTIFIES + count);
    await seedPendingCharges(database, ids, app.id, channel.id, 'alipay_pc_direct', now);
    ctx.log(`alipay-notify ${dialect}: signing ${WARMUP_NOTIFIES + count} notifies…`);
    const alipayPrivate = parsePrivateKey(alipay.privateKeyPem);
    const bodies = ids.map((id) => notifyBody(id, appId, alipayPrivate, now));

    // Bare: the same payloads, verified the same way, nothing else.
    const alipayPublic = parsePublicKey(alipay.publicKeyPem);
    const payloads = bodies.map((body) => {
      const params = Object.fromEntries(new URLSearchParams(body));
      return { content: notifySignContent(params), sign: params.sign! };
    });
    const parseCtx = channelContext({ app_id: appId, private_key: merchant.privateKeyPem, alipay_public_key: alipay.publicKeyPem });
    const request = (rawBody: string) => ({ method: 'POST', url: `/notify/${channel.id}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, query: {}, rawBody });
    const verify = async (i: number) => {
      const parsed = await alipayChannel.parseNotify!(parseCtx, request(bodies[i]!));
      if (!parsed.verified) throw new Error(`channel parse failed: ${parsed.reason}`);
    };

    ctx.log(`alipay-notify ${dialect}: ${count} notifies after ${WARMUP_NOTIFIES} untimed, bare verify / channel parse / ingestion at ${ctx.connections} in flight, interleaved…`);
    let acknowledged = 0;
    const replayed = replay.phases(ids, ctx.connections, verify);
    const times = await interleavedTimes(count, {
      bare: async (from, to) => {
        for (let i = from; i < to; i += 1) {
          const { content, sign } = payloads[i]!;
          if (!createVerify('RSA-SHA256').update(content, 'utf8').verify(alipayPublic, sign, 'base64')) throw new Error('bare verify failed');
        }
      },
      parse: async (from, to) => {
        for (let i = from; i < to; i += 1) await verify(i);
      },
      ingest: (from, to, timed) => pool(from, to, ctx.connections, async (i) => {
        const reply = await paygate.notify.ingest(channel.id, request(bodies[i]!));
        if (reply.body === 'success' && timed) acknowledged += 1;
      }),
      aim: replayed.aim,
      store: replayed.store,
      least: replayed.least,
    });
    const bareVerify = rate(count, times.bare);
    const channelParse = rate(count, times.parse);
    const ingest = rate(acknowledged, times.ingest);
    const store = rate(replayed.applied(), times.store);
    const least = rate(replayed.leastApplied(), times.least);
    const { succeeded, events } = await notifiedCounts(database);
    return { dialect, bareVerify, channelParse, ingest, store, least, succeeded, events };
  } finally {
    await database.close();
    await bench.drop();
  }
}

/** A channel context with no storage and no network (neither verb measured here needs them). */
function channelContext(options: ChannelContext['channel']['options']): ChannelContext {
  const base = 'http://127.0.0.1:8080';
  return {
    channel: { id: 'chn_bench', app_id: 'app_bench', type: 'alipay', name: 'Alipay', livemode: false, options },
    urls: { base, notify: `${base}/notify/chn_bench`, return: `${base}/return/chn_bench`, result: (id) => `${base}/pay/result/${id}` },
    http: { request: async () => { throw new Error('no request expected'); } },
    clock: manualClock(Date.now()),
    log: () => undefined,
  };
}

/** Pay-URL signing: the channel's alipay_pc_direct credential vs bare crypto.sign of the same content. */
async function signingRun(ctx: BenchContext): Promise<{ bareSign: Rate; payUrl: Rate }> {
  const merchant = generateRsaKeyPair();
  const channelCtx = channelContext({ app_id: '9021000000000001', private_key: merchant.privateKeyPem, alipay_public_key: generateRsaKeyPair().publicKeyPem, gateway: 'https://openapi.alipay.com/gateway.do' });
  const charge = (i: number): ChargeView => ({
    id: `ch_bench${i}`, app_id: 'app_bench', livemode: false, channel: 'alipay_pc_direct', order_no: `o${i}`, type: 'order', amount: 1999,
    amount_refunded: 0, currency: 'cny', subject: '基准测试商品', body: 'Benchmark', description: null, client_ip: '127.0.0.1', extra: {}, metadata: {},
    status: 'created', transaction_no: null, created: Math.floor(Date.now() / 1000), time_expire: Math.floor(Date.now() / 1000) + 3600, return_url: null,
  });
  const sample = await createAlipayPayment(channelCtx, charge(0));
  if (!sample.ok) throw new Error(sample.message);
  const content = requestSignContent(sample.credential.params as Record<string, string>);
  const key = parsePrivateKey(merchant.privateKeyPem);
  // Interleaved slices again: 20 rounds of a bare slice then a pay-URL slice.
  const sliceMs = Math.max(50, (ctx.durationSeconds * 1000) / 40);
  const totals = { bare: { n: 0, ms: 0 }, url: { n: 0, ms: 0 } };
  let i = 0;
  for (let round = 0; round < 20; round += 1) {
    let started = performance.now();
    while (performance.now() - started < sliceMs) { createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64'); totals.bare.n += 1; }
    totals.bare.ms += performance.now() - started;
    started = performance.now();
    while (performance.now() - started < sliceMs) { await createAlipayPayment(channelCtx, charge(i++)); totals.url.n += 1; }
    totals.url.ms += performance.now() - started;
  }
  const bareSign = rate(totals.bare.n, totals.bare.ms);
  const payUrl = rate(totals.url.n, totals.url.ms);
  return { bareSign, payUrl };
}

function render(runs: readonly IngestRun[], signing: { bareSign: Rate; payUrl: Rate }): string {
  const lines = [
    '| database | what | per second | ratio | count |',
    '|---|---|---:|---:|---:|',
  ];
  for (const run of runs) {
    lines.push(`| ${run.dialect} | bare \`crypto.verify\` (RSA2, same payloads) | ${fixed(run.bareVerify.perSecond, 0)} | 100 % | ${run.bareVerify.count} |`);
    lines.push(`| ${run.dialect} | the channel's parseNotify alone (parse, verify, checks; no storage) | ${fixed(run.channelParse.perSecond, 0)} | ${fixed((run.channelParse.perSecond / run.bareVerify.perSecond) * 100)} % | ${run.channelParse.count} |`);
    lines.push(`| ${run.dialect} | **notify ingested** (verify, checks, transition, event, commit) | **${fixed(run.ingest.perSecond, 0)}** | **${fixed((run.ingest.perSecond / run.bareVerify.perSecond) * 100)} %** (target ≥ ${TARGETS.ingestRatio * 100} %) | ${run.ingest.count} |`);
    lines.push(...ceilingRows(run.dialect, run.least, run.store, run.bareVerify));
  }
  lines.push(`| — | bare \`crypto.sign\` (RSA2 2048, same content) | ${fixed(signing.bareSign.perSecond, 0)} | 100 % | ${signing.bareSign.count} |`);
  lines.push(`| — | **alipay_pc_direct pay URL** (params, biz_content, sign, URL) | **${fixed(signing.payUrl.perSecond, 0)}** | **${fixed((signing.payUrl.perSecond / signing.bareSign.perSecond) * 100)} %** (target ≥ ${TARGETS.signRatio * 100} %) | ${signing.payUrl.count} |`);
  lines.push('');
  for (const run of runs) lines.push(`- ${run.dialect}: ${run.succeeded} charges succeeded and ${run.events} \`charge.succeeded\` events for ${run.ingest.count} timed notifies answered \`success\` and ${WARMUP_NOTIFIES} before timing.`);
  lines.push(...ceilingNotes(runs.map((run) => ({ dialect: run.dialect, store: run.store.perSecond / run.bareVerify.perSecond, least: run.least.perSecond / run.bareVerify.perSecond })), TARGETS.ingestRatio, 'bare `crypto.verify`'));
  return lines.join('\n');
}

export const benchmark: BenchSection = {
  name: 'alipay-notify',
  async run(ctx): Promise<BenchSectionResult> {
    const dialects: ('sqlite' | 'postgres')[] = ctx.dialects.filter((d) => d === 'sqlite');
    if (ctx.dialects.includes('postgres')) {
      if (ctx.pgAdminUrl && (await postgresAnswers(ctx.pgAdminUrl))) dialects.push('postgres');
      else ctx.log('PostgreSQL does not answer: its row is skipped');
    }
    const count = Math.max(2000, Math.round(ctx.durationSeconds * 800));
    const runs: IngestRun[] = [];
    for (const dialect of dialects) runs.push(await ingestRun(ctx, dialect, count));
    ctx.log('alipay-notify: pay-URL signing…');
    const signing = await signingRun(ctx);
    const missed: string[] = [];
    for (const run of runs) {
      const ratio = run.ingest.perSecond / run.bareVerify.perSecond;
      if (ratio < TARGETS.ingestRatio) missed.push(`${run.dialect}: notify ingestion ${fixed(ratio * 100)} % of bare crypto.verify (target ≥ ${TARGETS.ingestRatio * 100} %)`);
      if (run.ingest.count !== count || run.succeeded !== WARMUP_NOTIFIES + count || run.events !== WARMUP_NOTIFIES + count) {
        missed.push(`${run.dialect}: ${run.ingest.count} acknowledged of ${count} timed; ${run.succeeded} succeeded, ${run.events} events for ${WARMUP_NOTIFIES + count} notifies (warm-up included)`);
      }
    }
    const signRatio = signing.payUrl.perSecond / signing.bareSign.perSecond;
    if (signRatio < TARGETS.signRatio) missed.push(`pay-URL signing ${fixed(signRatio * 100)} % of bare crypto.sign (target ≥ ${TARGETS.signRatio * 100} %)`);
    return {
      title: `Alipay: notify ingestion vs bare crypto.verify (${count} notifies, ${ctx.connections} in flight), pay-URL signing vs bare crypto.sign`,
      markdown: render(runs, signing),
      missed,
      data: { runs, signing },
    };
  },
};

/** The figures as a plain object, for callers that want them without the report. */
export async function measureAlipay(ctx: BenchContext): Promise<unknown> {
  return (await benchmark.run(ctx)).data;
}
