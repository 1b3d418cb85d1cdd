/**
 * The endpoints payment providers call: `/notify/:channel_id` (asynchronous notification) and
 * `/return/:channel_id` (the buyer's browser coming back). Bodies are kept as raw text, whatever
 * their type, because the channel verifies its signature on the exact bytes; the answer is
 * exactly the channel's own reply (`success`, WeChat XML, 204 …), never paygate's JSON.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InboundRequest, OutboundReply } from '../../channels/contract.js';
import type { RoutePlugin } from './index.js';
import { installRawBodyParser } from '../body-parsers.js';

interface ChannelParams { channel_id: string }

/** The request as the channel must see it: raw body, flat query, single-valued headers. */
export function toInboundRequest(request: FastifyRequest): InboundRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const search = request.url.indexOf('?');
  const query: Record<string, string> = {};
  // Not the nested `qs` parse of the API: providers sign flat parameters exactly as sent.
  if (search !== -1) for (const [k, v] of new URLSearchParams(request.url.slice(search + 1))) query[k] = v;
  return { method: request.method, url: request.url, headers, query, rawBody: request.rawBody ?? '' };
}

function send(reply: FastifyReply, answer: OutboundReply): FastifyReply {
  reply.code(answer.status);
  const headers = answer.headers ?? {};
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) reply.type('text/plain; charset=utf-8');
  return reply.send(answer.body);
}

export const channelCallbackRoutes: RoutePlugin = async (app, { paygate }) => {
  installRawBodyParser(app);
  const hidden = { hide: true } as const;

  const notify = async (request: FastifyRequest<{ Params: ChannelParams }>, reply: FastifyReply) =>
    send(reply, await paygate.notify.ingest(request.params.channel_id, toInboundRequest(request)));
  app.post<{ Params: ChannelParams }>('/notify/:channel_id', { schema: hidden }, notify);
  app.get<{ Params: ChannelParams }>('/notify/:channel_id', { schema: hidden }, notify);

  const back = async (request: FastifyRequest<{ Params: ChannelParams }>, reply: FastifyReply) => {
    const { redirect } = await paygate.notify.ingestReturn(request.params.channel_id, toInboundRequest(request));
    return reply.redirect(redirect, request.method === 'POST' ? 303 : 302);
  };
  app.get<{ Params: ChannelParams }>('/return/:channel_id', { schema: hidden }, back);
  app.post<{ Params: ChannelParams }>('/return/:channel_id', { schema: hidden }, back);
};
