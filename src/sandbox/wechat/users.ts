/**
 * The sandbox's WeChat users and the official-account API around them: openids (stable per
 * official account and user, different between accounts, as at WeChat), OAuth codes (single
 * use, 5 minutes), access tokens (2 hours; a new one leaves the previous valid for 5 more
 * minutes, as WeChat does) and jsapi tickets (2 hours). Every issued openid is recorded, so an
 * order naming an openid of another official account is refused like WeChat refuses it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { SandboxStateStore } from '../state-store.js';

export const TOKEN_TTL_SECONDS = 7200;
const CODE_TTL_MS = 5 * 60_000;
const TOKEN_GRACE_MS = 5 * 60_000;

export interface OAuthCode {
  readonly appid: string;
  readonly user: string;
  readonly scope: string;
  readonly created_at: number;
  readonly used: boolean;
}

interface AccessToken {
  readonly appid: string;
  readonly expires_at: number;
}

interface Current {
  readonly value: string;
  readonly expires_at: number;
}

export type CodeExchange = { readonly ok: true; readonly openid: string; readonly scope: string } | { readonly ok: false; readonly errcode: number; readonly errmsg: string };

export class SandboxUsers {
  /** How many access tokens and tickets were issued, per appid (tests check single-flight with it). */
  readonly issued = { tokens: new Map<string, number>(), tickets: new Map<string, number>() };

  constructor(private readonly store: SandboxStateStore, private readonly secret: () => Promise<Buffer>, private readonly now: () => number) {}

  async openidFor(appid: string, user: string): Promise<string> {
    const mac = createHmac('sha256', await this.secret()).update(`${appid}\n${user}`).digest('base64url');
    const openid = `o${mac.slice(0, 27)}`;
    if (!(await this.store.get(`openid:${appid}:${openid}`))) await this.store.put(`openid:${appid}:${openid}`, { user, created_at: this.now() });
    return openid;
  }

  async isKnownOpenid(appid: string, openid: string): Promise<boolean> {
    return (await this.store.get(`openid:${appid}:${openid}`)) !== undefined;
  }

  async userOf(appid: string, openid: string): Promise<string | undefined> {
    return (await this.store.get<{ user: string }>(`openid:${appid}:${openid}`))?.user;
  }

  async issueCode(appid: string, user: string, scope: string): Promise<string> {
    const code = randomBytes(16).toString('hex');
    await this.store.put<OAuthCode>(`oauthcode:${code}`, { appid, user, scope, created_at: this.now(), used: false });
    return code;
  }

  async exchangeCode(appid: string, code: string): Promise<CodeExchange> {
    const found = await this.store.get<OAuthCode>(`oauthcode:${code}`);
    if (!found || found.appid !== appid || this.now() - found.created_at > CODE_TTL_MS) return { ok: false, errcode: 40029, errmsg: 'invalid code' };
    if (found.used) return { ok: false, errcode: 40163, errmsg: 'code been used' };
    await this.store.put<OAuthCode>(`oauthcode:${code}`, { ...found, used: true });
    return { ok: true, openid: await this.openidFor(appid, found.user), scope: found.scope };
  }

  /** A new access token; the previous one stays valid for five more minutes. */
  async issueAccessToken(appid: string): Promise<{ token: string; expires_in: number }> {
    const now = this.now();
    const previous = await this.store.get<Current>(`token-current:${appid}`);
    if (previous) {
      const old = await this.store.get<AccessToken>(`token:${previous.value}`);
      if (old) await this.store.put<AccessToken>(`token:${previous.value}`, { ...old, expires_at: Math.min(old.expires_at, now + TOKEN_GRACE_MS) });
    }
    const token = randomBytes(48).toString('base64url');
    await this.store.put<AccessToken>(`token:${token}`, { appid, expires_at: now + TOKEN_TTL_SECONDS * 1000 });
    await this.store.put<Current>(`token-current:${appid}`, { value: token, expires_at: now + TOKEN_TTL_SECONDS * 1000 });
    this.issued.tokens.set(appid, (this.issued.tokens.get(appid) ?? 0) + 1);
    return { token, expires_in: TOKEN_TTL_SECONDS };
  }

  /** The appid an access token belongs to, `expired`, or undefined when it was never issued. */
  async tokenOwner(token: string): Promise<string | 'expired' | undefined> {
    const found = await this.store.get<AccessToken>(`token:${token}`);
    if (!found) return undefined;
    return this.now() > found.expires_at ? 'expired' : found.appid;
  }

  /** The account's jsapi ticket, a new one once the current has expired. */
  async jsapiTicket(appid: string): Promise<{ ticket: string; expires_in: number }> {
    const now = this.now();
    const current = await this.store.get<Current>(`ticket-current:${appid}`);
    if (current && current.expires_at > now) return { ticket: current.value, expires_in: Math.floor((current.expires_at - now) / 1000) };
    const ticket = randomBytes(64).toString('base64url');
    await this.store.put<Current>(`ticket-current:${appid}`, { value: ticket, expires_at: now + TOKEN_TTL_SECONDS * 1000 });
    this.issued.tickets.set(appid, (this.issued.tickets.get(appid) ?? 0) + 1);
    return { ticket, expires_in: TOKEN_TTL_SECONDS };
  }
}
