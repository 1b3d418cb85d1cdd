/**
 * Issue 5's benchmark: WeChat Pay v2 notify ingestion through paygate (`paygate.notify.ingest`:
 * safe XML parse, MD5 verify, appid/mch_id/amount checks, transition, event, log, committed, then
 * the XML SUCCESS answer) against a bare XML parse + MD5 of the same payloads, in one run on this
 * machine. Target: ingestion ≥ 30 % of bare. The channel's `parseNotify` alone is shown between
 * the two, so the share of the channel and the share of storage can be told apart. The three are
 * timed in interleaved slices of the same payloads (support/notify-ingest.ts).
 * Notifies are pre-signed and each moves its own pending charge, inserted in bulk beforehand.
 */
import { createHash, randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { openDatabase } from '../dist/store/database.js';
import { migrateToLatest } from '../dist/store/migrate.js';
import { createPaygate } from '../dist/engine/paygate.js';
import type { ChannelContext } from '../dist/channels/contract.js';
import { wechatChannel } from '../dist/channels/wechat/wechat-channel.js';
import { signV2, v2SignContent } from '../dist/channels/wechat/sign-v2.js';
import { toV2Time } from '../dist/channels/wechat/time.js';
import { buildWechatXml } from '../dist/channels/wechat/xml.js';
import { manualClock } from '../dist/core/clock.js';
import { fixed, type BenchContext, type BenchSection, type BenchSectionResult } from './section.js';
import { benchDatabase, postgresAnswers } from './support/databases.js';
import { benchChargeIds, ceilingNotes, ceilingRows, interleavedTimes, notifiedCounts, pool, rate, seedPendingCharges, StoreReplay, WARMUP_NOTIFIES, type Rate } from './support/notify-ingest.js';

export const TARGETS = { ingestRatio: 0.3 } as const;

export interface WechatIngestRun {
  readonly dialect: 'sqlite' | 'postgres';
  readonly bare: Rate;
  readonly channelParse: Rate;
  readonly ingest: Rate;
  /** The same transition writes through the store alone (StoreReplay): ingestion's ceiling. */
  readonly store: Rate;
  /** Parse and verify, read, the same writes (StoreReplay's least phase): the tighter ceiling. */
  readonly least: Rate;
  readonly succeeded: number;
  readonly events: number;
}

const APPID = 'wxd930ea5d5a258f4f';
const MCH_ID = '1900000109';

/** A v2 payment notify as WeChat sends it: CDATA text, MD5-signed with the API key. */
function notifyBody(chargeId: string, apiKey: string, now: number): string {
  const fields: Record<string, string> = {
    appid: APPID, bank_type: 'OTHERS', cash_fee: '10', fee_type: 'CNY', is_subscribe: 'N', mch_id: MCH_ID,
    nonce_str: randomBytes(16).toString('hex'), openid: 'oUpF8uMEb4qRXf22hE3X68TekukE', out_trade_no: chargeId, result_code: 'SUCCESS',
    return_code: 'SUCCESS', time_end: toV2Time(now), total_fee: '10', trade_type: 'NATIVE', transaction_id: `4200000${randomBytes(10).toString('hex').slice(0, 21)}`,
  };
  return buildWechatXml({ ...fields, sign: signV2(fields, apiKey) });
}

/** The least a receiver can do: parse the XML and check the MD5 signature. */
function bareParseAndVerify(parser: XMLParser, body: string, apiKey: string): boolean {
  const fields = (parser.parse(body) as { xml: Record<string, string> }).xml;
  const expected = createHash('md5').update(`${v2SignContent(fields)}&key=${apiKey}`, 'utf8').digest('hex').toUpperCase();
  return expected === fields.sign;
}

function channelContext(apiKey: string): ChannelContext {
  const base = 'http://127.0.0.1:8080';
  return {
    channel: { id: 'chn_bench', app_id: 'app_bench', type: 'wechat', name: 'WeChat', livemode: false, options: { api_version: 'v2', appid: APPID, mch_id: MCH_ID, api_key: apiKey } },
    urls: { base, notify: `${base}/notify/chn_bench`, return: `${base}/return/chn_bench`, result: (id) => `${base}/pay/result/${id}` },
    http: { request: async () => { throw new Error('no request expected'); } },
    clock: manualClock(Date.now()),
    log: () => undefined,
  };
}

async function ingestRun(ctx: BenchContext, dialect: 'sqlite' | 'postgres', count: number): Promise<WechatIngestRun> {
  const bench = await benchDatabase(dialect, ctx.pgAdminUrl);
  const database = openDatabase(bench.url);
  try {
    await migrateToLatest(database);
    const replay = new StoreReplay(database);
    const paygate = createPaygate({ database: replay.database, masterKey: randomBytes(32), publicUrl: 'http://127.0.0.1:8080' });
    const apiKey = randomBytes(16).toString('hex');
    const { app } = await paygate.apps.create({ name: 'Bench' });
    const channel = await paygate.channels.create(app.id, { type: 'wechat', livemode: false, options: { api_version: 'v2', appid: APPID, mch_id: MCH_ID, api_key: apiKey } });
    const now = Date.now();
    const ids = benchChargeIds(WARMUP_NOTIFIES + count);
    await seedPendingCharges(database, ids, app.id, channel.id, 'wx_pub_qr', now);
    const bodies = ids.map((id) => notifyBody(id, apiKey, now));

    const parser = new XMLParser({ parseTagValue: false });
    const parseCtx = channelContext(apiKey);
    const parse = (rawBody: string) => wechatChannel.parseNotify!(parseCtx, { method: 'POST', url: '/notify/chn_bench', headers: { 'content-type': 'text/xml' }, query: {}, rawBody });
    const verify = async (i: number) => {
      const parsed = await parse(bodies[i]!);
      if (!parsed.verified) throw new Error(`channel parse failed: ${parsed.reason}`);
    };

    ctx.log(`wechat-notify ${dialect}: ${count} v2 notifies after ${WARMUP_NOTIFIES} untimed, bare parse / channel parse / ingestion at ${ctx.connections} in flight, interleaved…`);
    let acknowledged = 0;
    const replayed = replay.phases(ids, ctx.connections, verify);
    const times = await interleavedTimes(count, {
      bare: async (from, to) => {
        for (let i = from; i < to; i += 1) if (!bareParseAndVerify(parser, bodies[i]!, apiKey)) throw new Error('bare verify failed');
      },
      parse: async (from, to) => {
        for (let i = from; i < to; i += 1) await verify(i);
      },
      ingest: (from, to, timed) => pool(from, to, ctx.connections, async (i) => {
        const reply = await paygate.notify.ingest(channel.id, { method: 'POST', url: `/notify/${channel.id}`, headers: { 'content-type': 'text/xml' }, query: {}, rawBody: bodies[i]! });
        if (reply.status === 200 && reply.body.includes('SUCCESS') && timed) acknowledged += 1;
      }),
      aim: replayed.aim,
      store: replayed.store,
      least: replayed.least,
    });
    const bare = rate(count, times.bare);
    const channelParse = rate(count, times.parse);
    const ingest = rate(acknowledged, times.ingest);
    const store = rate(replayed.applied(), times.store);
    const least = rate(replayed.leastApplied(), times.least);
    const { succeeded, events } = await notifiedCounts(database);
    return { dialect, bare, channelParse, ingest, store, least, succeeded, events };
  } finally {
    await database.close();
    await bench.drop();
  }
}

function render(runs: readonly WechatIngestRun[]): string {
  const lines = ['| database | what | per second | ratio | count |', '|---|---|---:|---:|---:|'];
  for (const run of runs) {
    const pct = (r: Rate) => fixed((r.perSecond / run.bare.perSecond) * 100);
    lines.push(`| ${run.dialect} | bare XML parse (fast-xml-parser) + MD5 check, same payloads | ${fixed(run.bare.perSecond, 0)} | 100 % | ${run.bare.count} |`);
    lines.push(`| ${run.dialect} | the channel's parseNotify alone (safe parse, MD5 verify, appid/mch_id checks; no storage) | ${fixed(run.channelParse.perSecond, 0)} | ${pct(run.channelParse)} % | ${run.channelParse.count} |`);
    lines.push(`| ${run.dialect} | **v2 notify ingested** (verify, checks, transition, event, commit, XML SUCCESS) | **${fixed(run.ingest.perSecond, 0)}** | **${pct(run.ingest)} %** (target ≥ ${TARGETS.ingestRatio * 100} %) | ${run.ingest.count} |`);
    lines.push(...ceilingRows(run.dialect, run.least, run.store, run.bare));
  }
  lines.push('');
  for (const run of runs) lines.push(`- ${run.dialect}: ${run.succeeded} charges succeeded and ${run.events} \`charge.succeeded\` events for ${run.ingest.count} timed notifies answered SUCCESS and ${WARMUP_NOTIFIES} before timing.`);
  lines.push(...ceilingNotes(runs.map((run) => ({ dialect: run.dialect, store: run.store.perSecond / run.bare.perSecond, least: run.least.perSecond / run.bare.perSecond })), TARGETS.ingestRatio, 'bare XML parse + MD5'));
  return lines.join('\n');
}

/** Measures WeChat v2 notify ingestion against bare parse + MD5; returns the report section. */
export async function measureWechatNotify(ctx: BenchContext): Promise<BenchSectionResult> {
  const dialects: ('sqlite' | 'postgres')[] = ctx.dialects.filter((d) => d === 'sqlite');
  if (ctx.dialects.includes('postgres')) {
    if (ctx.pgAdminUrl && (await postgresAnswers(ctx.pgAdminUrl))) dialects.push('postgres');
    else ctx.log('PostgreSQL does not answer: its row is skipped');
  }
  const count = Math.max(2000, Math.round(ctx.durationSeconds * 800));
  const runs: WechatIngestRun[] = [];
  for (const dialect of dialects) runs.push(await ingestRun(ctx, dialect, count));
  const missed: string[] = [];
  for (const run of runs) {
    const ratio = run.ingest.perSecond / run.bare.perSecond;
    if (ratio < TARGETS.ingestRatio) missed.push(`${run.dialect}: WeChat v2 notify ingestion ${fixed(ratio * 100)} % of bare XML parse + MD5 (target ≥ ${TARGETS.ingestRatio * 100} %)`);
    if (run.ingest.count !== count || run.succeeded !== WARMUP_NOTIFIES + count || run.events !== WARMUP_NOTIFIES + count) {
      missed.push(`${run.dialect}: ${run.ingest.count} acknowledged of ${count} timed; ${run.succeeded} succeeded, ${run.events} events for ${WARMUP_NOTIFIES + count} notifies (warm-up included)`);
    }
  }
  return {
    title: `WeChat Pay: v2 notify ingestion vs bare XML parse + MD5 (${count} notifies, ${ctx.connections} in flight)`,
    markdown: render(runs),
    missed,
    data: { runs },
  };
}

export const benchmark: BenchSection = { name: 'wechat-notify', run: measureWechatNotify };
