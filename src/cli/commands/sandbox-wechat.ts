/**
 * `paygate sandbox wechat --port P --keys DIR`: the WeChat Pay sandbox standalone, at
 * `http://HOST:P/` with WeChat's real paths (v2 `/pay/…`, v3 `/v3/…`, OAuth, JS-SDK, the JSAPI
 * bridge at `/jsbridge.js`). DIR holds config.json and the two key pairs; missing files are
 * generated, existing ones used.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import { startStandaloneWechatSandbox } from '../../sandbox/wechat/standalone.js';
import { scheduleFromEnv } from '../../sandbox/wechat/notifier.js';
import { untilStopped } from './sandbox.js';

interface WechatSandboxOptions {
  port: string;
  host: string;
  keys: string;
  interactive?: boolean;
  json?: boolean;
}

export function sandboxWechatSubcommand(sandbox: Command, cli: CliRuntime): void {
  sandbox
    .command('wechat')
    .description('the WeChat Pay sandbox: API v2 (XML) and v3 (JSON), OAuth, JS-SDK, JSAPI bridge, signed notifies')
    .option('--port <port>', 'port to listen on (0 = any free port)', '18081')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--keys <dir>', 'keys directory (config.json, apiclient_*.pem, platform_*.pem)', './data/sandbox/wechat')
    .option('--interactive', 'pay pages ask Pay / Fail instead of paying on a plain GET')
    .option('--json', 'print the connection details as JSON')
    .action((options: WechatSandboxOptions) => run(cli, options));
}

async function run(cli: CliRuntime, options: WechatSandboxOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (got "${options.port}")`);
  const keysDir = resolve(cli.cwd, options.keys);
  const running = await startStandaloneWechatSandbox({
    keysDir,
    port,
    host: options.host,
    mode: options.interactive ? 'interactive' : 'auto',
    retrySchedule: scheduleFromEnv(cli.env),
  });
  const c = running.keys.config;
  const details = {
    gateway: running.url,
    appid: c.appid,
    mch_id: c.mch_id,
    serial_no: c.serial_no,
    platform_serial: c.platform_serial,
    keys: keysDir,
    config_file: join(keysDir, 'config.json'),
    private_key_file: join(keysDir, 'apiclient_key.pem'),
    platform_public_key_file: join(keysDir, 'platform_public_key.pem'),
  };
  if (options.json) cli.printJson(details);
  else {
    cli.print(`WeChat Pay sandbox at ${running.url}/`);
    cli.print(`  appid ${c.appid} · mch_id ${c.mch_id} · merchant serial ${c.serial_no}`);
    cli.print(`  api_key, api_v3_key, app_secret: in ${details.config_file}`);
    cli.print(`  merchant private key:  ${details.private_key_file}`);
    cli.print(`  platform public key:   ${details.platform_public_key_file} (serial ${c.platform_serial})`);
    cli.print(`Configure a channel with these and gateway=${running.url}. Press Ctrl-C to stop.`);
  }
  await untilStopped(cli, () => running.close());
  cli.print('WeChat Pay sandbox stopped.');
}
