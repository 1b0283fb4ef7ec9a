/**
 * A small fake Slack for tests: the Web API (`POST /api/<method>`, form-encoded or JSON,
 * always HTTP 200 with `{ok, ...}` like Slack), `response_url`s, file upload URLs, and a
 * Socket Mode WebSocket reached through `apps.connections.open`. It keeps a workspace
 * (users, channels, user groups) and records every call so tests can read what Bolt sent.
 * Unknown methods answer `unknown_method` so a mistake fails loudly. Every call, answer and
 * event envelope is checked against Slack's published descriptions (tests/fakes/spec): a call
 * they reject gets `invalid_arguments` and fails the test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { checkSlackCall, checkSlackEvent, checkSlackResponse, noteSlackUnchecked, warmSlackSpec } from '../spec/slack';

export interface FakeUser {
  id: string;
  name: string;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  /** Given in `profile.email` (Slack does so only with the `users:read.email` scope). */
  email?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_general?: boolean;
  members?: string[];
}

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
}

export interface PostedRecord {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  user?: string;
}

export interface EnvelopeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/** A message in a channel's past, as conversations.history / .replies return it. */
export interface FakeMessage {
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  thread_ts?: string;
  username?: string;
  edited?: { user: string; ts: string };
  /** Message metadata (chat.postMessage `metadata`): returned only with `include_all_metadata`. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** A raw HTTP answer to inject once (e.g. a 429 with retry-after). */
export interface InjectedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A user object as Slack gives it: the email, when there is one, inside `profile`. */
function slackUser({ email, ...user }: FakeUser) {
  return { ...user, real_name: user.name, profile: { display_name: user.name, real_name: user.name, ...(email ? { email } : {}) } };
}

type Handler = (args: Record<string, unknown>, call: ApiCall) => Record<string, unknown>;

export class FakeSlack {
  readonly team = { id: 'T0TEAM', name: 'Test Workspace', domain: 'test' };
  readonly bot = { userId: 'U0BOT', botId: 'B0BOTHRTH' };
  readonly botToken = 'xoxb-test-token';
  readonly appToken = 'xapp-test-token';
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly usergroups = new Map<string, string[]>();
  readonly calls: ApiCall[] = [];
  /** Bodies posted to response_urls, by response id. */
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  /** Raw bodies posted to upload URLs (the Web API sends the file as multipart form data). */
  readonly uploads: { id: string; body: Buffer }[] = [];
  readonly views: Record<string, unknown>[] = [];
  /** Channel history by channel id (see seedMessage). */
  readonly history = new Map<string, FakeMessage[]>();
  private readonly failures = new Map<string, string>();
  private readonly httpFailures: { method: string; status: number; headers: Record<string, string> }[] = [];
  private readonly injected: { method: string; response: InjectedResponse }[] = [];
  private readonly holds = new Map<string, Promise<void>>();
  private readonly sockets = new Set<WebSocket>();
  private readonly pendingAcks = new Map<string, (ack: EnvelopeAck) => void>();
  /**
   * Events API envelopes sent and not acknowledged, by envelope id, with the connection that
   * has them: when that connection drops (the app's process died), Slack retries the event on
   * another connection, or on the next one to open (`retry_attempt` + 1, `retry_reason`).
   */
  private readonly unacked = new Map<string, { socket: WebSocket; payload: Record<string, unknown>; attempt: number; settle: (ack: EnvelopeAck) => void }>();
  private readonly toRetry: { payload: Record<string, unknown>; attempt: number; settle: (ack: EnvelopeAck) => void }[] = [];
  /** Events API envelopes Slack sent again because they were never acknowledged. */
  readonly retried: Record<string, unknown>[] = [];
  private server?: Server;
  private wss?: WebSocketServer;
  private sequence = 0;
  port = 0;

  /** DM channels the bot opened (conversations.open), by id: their history can be read. */
  private readonly ims = new Set<string>();
  /** Told of every Web API call and response_url post as it arrives (the kill soak counts them). */
  onRequestSeen?: (what: string) => void;
  private readonly now?: () => number;

  /** `now`: the clock message ts follow (default: a fixed hour, one second per message). */
  constructor(options: { now?: () => number } = {}) {
    this.now = options.now;
    this.users.set(this.bot.userId, { id: this.bot.userId, name: 'hearth', is_bot: true });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Private files served at /files-pri/... (bot token required, as on files.slack.com), and who fetched them. */
  readonly files = new Map<string, { mimetype: string; data: Buffer }>();
  readonly fileDownloads: { path: string; auth?: string }[] = [];

  /** A shared file object, as message events carry it, whose bytes this fake serves. */
  addFile(name: string, mimetype: string, data: Buffer, extra: Record<string, unknown> = {}) {
    const id = `F0${String(++this.sequence).padStart(8, '0')}`;
    const path = `/files-pri/${this.team.id}-${id}/download/${name}`;
    this.files.set(path, { mimetype, data });
    return {
      id, name, title: name, mimetype, filetype: mimetype.split('/')[1], size: data.length, mode: 'hosted', is_external: false,
      url_private: `${this.baseUrl}${path.replace('/download', '')}`, url_private_download: `${this.baseUrl}${path}`, ...extra,
    };
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  addUser(user: FakeUser): this {
    this.users.set(user.id, user);
    return this;
  }

  addChannel(channel: FakeChannel): this {
    this.channels.set(channel.id, channel);
    return this;
  }

  /** Make a method answer `{ok:false, error}` from now on. */
  fail(method: string, error: string): void {
    this.failures.set(method, error);
  }

  /** Answer the next call to a method with this raw response, once (e.g. HTTP 429 + retry-after). */
  failNext(method: string, response: InjectedResponse): void {
    this.injected.push({ method, response });
  }

  /** A message in a channel's past (served by conversations.history / .replies). Returns it. */
  seedMessage(channel: string, message: Omit<FakeMessage, 'ts'> & { ts?: string }): FakeMessage {
    if (!this.ims.has(channel)) this.channelOr(channel);
    const stored: FakeMessage = { ...message, ts: message.ts ?? this.nextTs() };
    const list = this.history.get(channel) ?? [];
    list.push(stored);
    list.sort((a, b) => Number(a.ts) - Number(b.ts));
    this.history.set(channel, list);
    return stored;
  }

  /**
   * Make the next call to a method fail at the HTTP level (a 429 with Retry-After, a 5xx) before
   * Slack does anything, like Slack's edge. Queue several for several failures in a row.
   */
  failHttpNext(method: string, status: number, headers: Record<string, string> = {}): void {
    this.httpFailures.push({ method, status, headers });
  }

  /** HTTP statuses answered to calls of a method, in order (200 for calls that got through). */
  readonly statuses: { method: string; status: number }[] = [];

  /**
   * Hold every call to a method until the returned release function runs: lets a test prove
   * the app acknowledged an interaction before its slow work finished.
   */
  hold(method: string): () => void {
    let release!: () => void;
    this.holds.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  /** A fresh response_url; what is posted to it lands in `responses`. */
  responseUrl(): string {
    return `${this.baseUrl}/response/${++this.sequence}`;
  }

  /** Calls to one method, in order. */
  callsTo(method: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Every message the bot posted or updated, with text and blocks, in order. */
  posted(): PostedRecord[] {
    return this.calls
      .filter((c) => ['chat.postMessage', 'chat.postEphemeral', 'chat.update'].includes(c.method))
      .map((c) => c.args as unknown as PostedRecord);
  }

  nextTs(): string {
    this.sequence += 1;
    if (this.now) return `${Math.floor(this.now() / 1000)}.${String(this.sequence).padStart(6, '0')}`;
    return `${1_767_600_000 + this.sequence}.${String(this.sequence).padStart(6, '0')}`;
  }

  /** An Events API envelope as Slack sends it, checked against the description. */
  eventCallback(event: Record<string, unknown>, options: { eventId: string; eventTime: number }): Record<string, unknown> {
    const body = {
      token: 'verification-token',
      team_id: this.team.id,
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: options.eventId,
      event_time: options.eventTime,
      authed_users: [this.bot.userId],
      // Every event says when it was dispatched (a message: its own ts).
      event: { event_ts: event.ts ?? `${options.eventTime}.000000`, ...event },
    };
    checkSlackEvent(body);
    return body;
  }

  async start(): Promise<void> {
    warmSlackSpec(Object.keys(this.handlers), ['message', 'message.channels', 'message.groups', 'message.im', 'reaction.added', 'reaction.removed', 'team.join', 'member.joined.channel', 'channel.deleted']);
    this.server = createServer((req, res) => void this.route(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/socket' });
    this.wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => {
        this.sockets.delete(ws);
        for (const [id, envelope] of this.unacked) {
          if (envelope.socket !== ws) continue;
          this.unacked.delete(id);
          this.toRetry.push(envelope);
        }
        this.retryUnacknowledged();
      });
      ws.on('message', (data) => {
        const ack = JSON.parse(String(data)) as EnvelopeAck;
        this.unacked.get(ack.envelope_id)?.settle(ack);
        this.unacked.delete(ack.envelope_id);
        this.pendingAcks.get(ack.envelope_id)?.(ack);
        this.pendingAcks.delete(ack.envelope_id);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0APP' } }));
      this.retryUnacknowledged();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** True once a Socket Mode client is connected. */
  get socketConnected(): boolean {
    return this.sockets.size > 0;
  }

  /** How many Socket Mode connections are open (an app may open up to 10; Slack spreads envelopes over them). */
  get socketCount(): number {
    return this.sockets.size;
  }

  /**
   * Send a Socket Mode envelope and resolve with the app's acknowledgement. `connection` picks
   * which open connection gets it (Slack sends each envelope to one; a retry may go to another).
   */
  sendEnvelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>, timeoutMs = 3000, connection = 0): Promise<EnvelopeAck> {
    const socket = [...this.sockets][connection];
    if (!socket) return Promise.reject(new Error(`no Socket Mode connection ${connection} is open`));
    const envelopeId = `env-${++this.sequence}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelopeId);
        reject(new Error(`envelope ${envelopeId} (${type}) was not acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingAcks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      if (type === 'events_api') this.unacked.set(envelopeId, { socket, payload, attempt: 0, settle: (ack) => this.pendingAcks.get(envelopeId)?.(ack) });
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
    });
  }

  /** Drop every Socket Mode connection, as Slack does when it rotates them (the app reconnects). */
  async dropConnections(): Promise<void> {
    const closing = [...this.sockets].map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
    for (const ws of this.sockets) ws.terminate();
    await Promise.all(closing);
  }

  /** Send the events a dropped connection never acknowledged again, on an open connection. */
  private retryUnacknowledged(): void {
    const socket = [...this.sockets].find((ws) => ws.readyState === WebSocket.OPEN);
    if (!socket) return;
    for (const envelope of this.toRetry.splice(0)) {
      const envelopeId = `env-${++this.sequence}`;
      const attempt = envelope.attempt + 1;
      this.unacked.set(envelopeId, { ...envelope, socket, attempt });
      this.retried.push(envelope.payload);
      socket.send(JSON.stringify({ envelope_id: envelopeId, type: 'events_api', payload: envelope.payload, accepts_response_payload: false, retry_attempt: attempt, retry_reason: 'timeout' }));
    }
  }

  async close(): Promise<void> {
    for (const method of [...this.holds.keys()]) this.hold(method)(); // never leave a request hanging
    for (const socket of this.sockets) socket.close(1000);
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const reply = (status: number, body: unknown) => {
      if (url.pathname.startsWith('/api/')) this.checkAnswer(url.pathname.slice('/api/'.length), status, body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/files-pri/') && req.method === 'GET') {
      this.fileDownloads.push({ path: url.pathname, auth: req.headers.authorization });
      const file = this.files.get(url.pathname);
      if (req.headers.authorization !== `Bearer ${this.botToken}`) {
        res.writeHead(403, { 'content-type': 'text/plain' });
        return void res.end('forbidden');
      }
      if (!file) return reply(404, { ok: false, error: 'file_not_found' });
      res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.data.length) });
      return void res.end(file.data);
    }
    if (url.pathname.startsWith('/response/') || url.pathname.startsWith('/api/')) this.onRequestSeen?.(url.pathname);
    if (url.pathname.startsWith('/response/')) {
      noteSlackUnchecked('response_url bodies (not in the descriptions)');
      this.responses.push({ id: url.pathname.slice('/response/'.length), body: JSON.parse(raw.toString('utf8') || '{}') });
      return reply(200, { ok: true });
    }
    if (url.pathname.startsWith('/upload/')) {
      noteSlackUnchecked('file upload URL bodies (not in the descriptions)');
      this.uploads.push({ id: url.pathname.slice('/upload/'.length), body: raw });
      return reply(200, { ok: true });
    }
    if (!url.pathname.startsWith('/api/') || req.method !== 'POST') return reply(404, { ok: false, error: 'not_found' });
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(raw.toString('utf8'), req.headers['content-type'] ?? '');
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || (args.token as string | undefined);
    const call: ApiCall = { method, args, token };
    const rejection = checkSlackCall(method, args);
    const httpFailure = this.httpFailures.findIndex((f) => f.method === method);
    if (httpFailure >= 0) {
      const [f] = this.httpFailures.splice(httpFailure, 1);
      this.statuses.push({ method, status: f.status });
      this.checkAnswer(method, f.status, undefined);
      res.writeHead(f.status, { 'content-type': 'application/json', ...f.headers });
      res.end(JSON.stringify({ ok: false, error: f.status === 429 ? 'ratelimited' : 'internal_error' }));
      return;
    }
    this.statuses.push({ method, status: 200 });
    this.calls.push(call);
    const expected = method === 'apps.connections.open' ? this.appToken : this.botToken;
    if (token !== expected) return reply(200, { ok: false, error: 'invalid_auth' });
    // What Slack's description rejects, Slack rejects.
    if (rejection) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'invalid_arguments', response_metadata: { messages: [rejection] } }));
    await this.holds.get(method);
    const injected = this.injected.findIndex((i) => i.method === method);
    if (injected >= 0) {
      const [{ response }] = this.injected.splice(injected, 1);
      this.checkAnswer(method, response.status, response.body);
      res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
      res.end(JSON.stringify(response.body));
      return;
    }
    const failure = this.failures.get(method);
    if (failure) return reply(200, { ok: false, error: failure });
    const handler = this.handlers[method];
    if (!handler) return reply(200, { ok: false, error: 'unknown_method' });
    try {
      return reply(200, { ok: true, ...handler(args, call) });
    } catch (error) {
      return reply(200, { ok: false, error: (error as Error).message });
    }
  }

  private checkAnswer(method: string, status: number, body: unknown): void {
    if (status === 200) checkSlackResponse(method, body as Record<string, unknown>);
    else noteSlackUnchecked(`HTTP ${status} answers (the description documents HTTP 200 only)`);
  }

  /** The id of the bot's DM with a user (Slack's are D + at least 8 characters). */
  dmChannelOf(userId: string): string {
    return `D${userId.replace(/^U/, '').padEnd(8, '0')}`;
  }

  /**
   * The message Slack answers for one the bot posted or updated. Without its blocks: the 2020
   * description types them as an object in chat.update's answer where Slack sends an array,
   * and Hearth reads neither.
   */
  private botMessage(args: Record<string, unknown>, ts: string) {
    return {
      type: 'message',
      text: String(args.text ?? ''),
      ts,
      user: this.bot.userId,
      bot_id: this.bot.botId,
      ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
    };
  }

  /** A thread parent carries reply_count and latest_reply, like Slack. */
  private withReplyInfo(channel: string, m: FakeMessage): FakeMessage & { type: 'message'; reply_count?: number; latest_reply?: string } {
    const replies = m.thread_ts === m.ts ? (this.history.get(channel) ?? []).filter((r) => r.thread_ts === m.ts && r.ts !== m.ts) : [];
    return { type: 'message', ...m, ...(replies.length ? { reply_count: replies.length, latest_reply: replies.at(-1)!.ts } : {}) };
  }

  /** History needs the bot in the channel (a channel without a member list is open to it). */
  private readable(id: unknown): FakeChannel {
    if (this.ims.has(String(id))) return { id: String(id), name: String(id) };
    const channel = this.channelOr(id);
    if (channel.members && !channel.members.includes(this.bot.userId)) throw new Error('not_in_channel');
    return channel;
  }

  private channelOr(id: unknown): FakeChannel {
    const channel = this.channels.get(String(id));
    if (!channel) throw new Error('channel_not_found');
    return channel;
  }

  private readonly handlers: Record<string, Handler> = {
    'auth.test': () => ({ user_id: this.bot.userId, bot_id: this.bot.botId, team_id: this.team.id, team: this.team.name, user: 'hearth', url: 'https://test.slack.com/' }),
    'apps.connections.open': () => ({ url: `ws://127.0.0.1:${this.port}/socket` }),
    'users.info': (args) => {
      const user = this.users.get(String(args.user));
      if (!user) throw new Error('user_not_found');
      return { user: slackUser(user) };
    },
    'usergroups.users.list': (args) => {
      const users = this.usergroups.get(String(args.usergroup));
      if (!users) throw new Error('no_such_subteam');
      return { users };
    },
    'conversations.info': (args) => {
      const { members: _members, ...channel } = this.channelOr(args.channel);
      return { channel: { ...channel, is_channel: !channel.is_private, is_group: Boolean(channel.is_private) } };
    },
    'conversations.members': (args) => ({ members: this.channelOr(args.channel).members ?? [], response_metadata: { next_cursor: '' } }),
    'conversations.list': (args) => {
      // Private channels are listed only when asked for, and only those the bot is in (like Slack).
      const withPrivate = String(args.types ?? 'public_channel').includes('private_channel');
      const isMember = (c: FakeChannel) => !c.members || c.members.includes(this.bot.userId);
      return {
        channels: [...this.channels.values()]
          .filter((c) => !c.is_private || (withPrivate && isMember(c)))
          .map(({ members: _m, ...c }) => ({ ...c, is_channel: !c.is_private, is_group: Boolean(c.is_private), is_member: isMember({ ...c, members: _m }) })),
        response_metadata: { next_cursor: '' },
      };
    },
    'users.list': () => ({
      cache_ts: Math.floor(Date.UTC(2026, 0, 5) / 1000),
      members: [...this.users.values()].map(slackUser),
      response_metadata: { next_cursor: '' },
    }),
    'conversations.history': (args) => {
      this.readable(args.channel);
      const all = this.history.get(String(args.channel)) ?? [];
      const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
      const oldest = args.oldest !== undefined ? Number(args.oldest) : -Infinity;
      const latest = args.latest !== undefined ? Number(args.latest) : Infinity;
      const cursorTs = args.cursor ? Number(decodeCursor(String(args.cursor), 'before')) : Infinity;
      const topLevel = all
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast')
        .filter((m) => (inclusive ? Number(m.ts) >= oldest && Number(m.ts) <= latest : Number(m.ts) > oldest && Number(m.ts) < latest))
        .filter((m) => Number(m.ts) < cursorTs)
        .reverse(); // newest first, like Slack
      const limit = Math.max(1, Number(args.limit ?? 100));
      const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1';
      const page = topLevel
        .slice(0, limit)
        .map((m) => this.withReplyInfo(String(args.channel), m))
        .map(({ metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m));
      const hasMore = topLevel.length > limit;
      return {
        messages: page,
        has_more: hasMore,
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
        response_metadata: { next_cursor: hasMore ? encodeCursor('before', page.at(-1)!.ts) : '' },
      };
    },
    'conversations.replies': (args) => {
      this.readable(args.channel);
      const ts = String(args.ts);
      const thread = (this.history.get(String(args.channel)) ?? []).filter((m) => m.ts === ts || m.thread_ts === ts);
      if (!thread.some((m) => m.ts === ts)) throw new Error('thread_not_found');
      const afterTs = args.cursor ? Number(decodeCursor(String(args.cursor), 'after')) : -Infinity;
      const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
      const oldest = args.oldest !== undefined ? Number(args.oldest) : -Infinity;
      const latest = args.latest !== undefined ? Number(args.latest) : Infinity;
      const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
      // Parent first (Slack returns it whatever the range), then replies in range, oldest first.
      const rest = thread.filter((m) => Number(m.ts) > afterTs && (m.ts === ts || inRange(Number(m.ts))));
      const limit = Math.max(1, Number(args.limit ?? 100));
      const page = rest.slice(0, limit).map((m) => this.withReplyInfo(String(args.channel), m));
      const hasMore = rest.length > limit;
      return { messages: page, has_more: hasMore, response_metadata: { next_cursor: hasMore ? encodeCursor('after', page.at(-1)!.ts) : '' } };
    },
    'conversations.open': (args) => {
      const id = this.dmChannelOf(String(args.users));
      this.ims.add(id);
      return { channel: { id } };
    },
    'chat.postMessage': (args) => {
      const channel = String(args.channel);
      if (!channel.startsWith('D')) this.channelOr(channel);
      const ts = this.nextTs();
      const message = this.botMessage(args, ts);
      // Kept in the channel's (or DM's) history, as Slack does (with its metadata, read back by
      // conversations.history with include_all_metadata). A thread reply stays out of it.
      if (!args.thread_ts) {
        const metadata = typeof args.metadata === 'string' ? JSON.parse(args.metadata) : args.metadata;
        this.seedMessage(channel, { text: message.text, user: message.user, bot_id: message.bot_id, ts, ...(metadata ? { metadata } : {}) });
      }
      return { channel, ts, message };
    },
    'chat.postEphemeral': (args) => {
      const channel = this.channelOr(args.channel);
      if (channel.is_private && !channel.members?.includes(String(args.user))) throw new Error('user_not_in_channel');
      return { message_ts: this.nextTs() };
    },
    'chat.update': (args) => ({ channel: args.channel, ts: args.ts, text: args.text, message: this.botMessage(args, String(args.ts)) }),
    'chat.getPermalink': (args) => ({ channel: args.channel, permalink: `https://test.slack.com/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}` }),
    'reactions.add': () => ({}),
    'views.publish': (args) => {
      this.views.push(args);
      return { view: { id: `V${this.sequence}` } };
    },
    'files.getUploadURLExternal': (args) => {
      const id = `F${++this.sequence}`;
      return { upload_url: `${this.baseUrl}/upload/${id}`, file_id: id, filename: args.filename };
    },
    'files.completeUploadExternal': (args) => ({ files: (args.files as { id: string }[]).map((f) => ({ id: f.id })) }),
  };
}

function encodeCursor(kind: 'before' | 'after', ts: string): string {
  return Buffer.from(`${kind}:${ts}`).toString('base64');
}

function decodeCursor(cursor: string, kind: 'before' | 'after'): string {
  const [k, ts] = Buffer.from(cursor, 'base64').toString('utf8').split(':');
  if (k !== kind || !ts || !Number.isFinite(Number(ts))) throw new Error('invalid_cursor');
  return ts;
}

/** Web API bodies: form-encoded (objects JSON-encoded inside) or JSON. */
function parseArgs(body: string, contentType: string): Record<string, unknown> {
  if (!body) return {};
  if (contentType.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
