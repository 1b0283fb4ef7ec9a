/**
 * A small fake Discord (REST v10 + gateway v10 over ws) on 127.0.0.1 for running the real
 * discord.js Client in tests. It speaks the documented wire shapes for the routes the bot
 * uses, records every request (with parsed JSON or multipart bodies), keeps the messages the
 * bot creates, echoes them back over the gateway like Discord does, and can inject failures
 * (e.g. a 429 with retry_after). Unknown routes answer a JSON 404 so mistakes fail loudly.
 * Every request, answer and dispatched object is checked against Discord's published OpenAPI
 * description (tests/fakes/spec): a request it rejects gets Discord's 400 and fails the test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkDiscordDispatch, checkDiscordRequest, checkDiscordResponse, warmDiscordSpec } from '../spec/discord';

const DISCORD_EPOCH = 1420070400000n;

/** The routes this fake serves, as Discord's API description names them. */
const ROUTES = [
  'GET /gateway/bot',
  'GET /applications/@me',
  'PUT /applications/{application_id}/commands',
  'PUT /applications/{application_id}/guilds/{guild_id}/commands',
  'GET /channels/{channel_id}',
  'GET /guilds/{guild_id}',
  'GET /guilds/{guild_id}/channels',
  'GET /guilds/{guild_id}/members/{user_id}',
  'GET /guilds/{guild_id}/threads/active',
  'GET /channels/{channel_id}/threads/archived/public',
  'GET /channels/{channel_id}/messages',
  'POST /users/@me/channels',
  'POST /channels/{channel_id}/messages',
  'PATCH /channels/{channel_id}/messages/{message_id}',
  'PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me',
  'POST /interactions/{interaction_id}/{interaction_token}/callback',
  'POST /webhooks/{webhook_id}/{webhook_token}',
  'GET /webhooks/{webhook_id}/{webhook_token}/messages/@original',
  'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original',
  'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}',
  'DELETE /webhooks/{webhook_id}/{webhook_token}/messages/@original',
  'DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}',
];
export const EVERYONE_VIEW_DENIED = String(1 << 10); // ViewChannel

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export interface FakeChannel {
  id: string;
  type: number;
  name: string;
  parent_id?: string | null;
  permission_overwrites?: { id: string; type: 0 | 1; allow: string; deny: string }[];
  /** Threads: owner and metadata are filled in for you. */
  thread_metadata?: Record<string, unknown>;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: string;
}

export interface FakeMember {
  user: FakeUser;
  roles: string[];
  nick?: string | null;
  /** When they joined (ISO); members listed without it joined "now". */
  joined_at?: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  owner_id: string;
  system_channel_id?: string | null;
  channels: FakeChannel[];
  roles: FakeRole[];
  members: FakeMember[];
}

export interface CapturedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** JSON body, or `payload_json` of a multipart body. */
  body: any;
  /** File names of a multipart body. */
  files: string[];
  auth?: string;
  status: number;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: FakeUser;
  content: string;
  components: unknown[];
  attachments: { id: string; filename: string }[];
  flags: number;
  message_reference?: unknown;
  edited_timestamp: string | null;
  timestamp: string;
  [key: string]: unknown;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  bot?: FakeUser;
  guilds?: FakeGuild[];
  /** Time for generated snowflakes (defaults to a fixed instant, advancing 1 ms per id). */
  now?: () => number;
  /** The shard count `GET /gateway/bot` recommends (default 1). */
  shards?: number;
  /**
   * The servers' "send a random welcome message when someone joins" setting: a join also
   * posts Discord's join notice (type 7, by the member) in the system channel. Off by default.
   */
  joinMessages?: boolean;
}

/** Which shard receives a server's events: Discord's rule, `(guild_id >> 22) % num_shards`. */
export const shardOf = (guildId: string, count: number): number => Number((BigInt(guildId) >> 22n) % BigInt(count));

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly bot: FakeUser;
  readonly guilds: FakeGuild[];
  readonly requests: CapturedRequest[] = [];
  /** Messages created through REST (by the bot), by id. */
  readonly messages = new Map<string, StoredMessage>();
  /** Identify payloads received on the gateway. */
  readonly identifies: any[] = [];
  /** Members' messages per channel (seeded or posted), oldest first, served by `GET /channels/{id}/messages` with the bot's. */
  readonly history = new Map<string, StoredMessage[]>();
  /** Registered application commands by scope key ('global' or guild id). */
  readonly registered = new Map<string, unknown[]>();
  /** Told of every REST request as it arrives, before it is answered (the kill soak counts them). */
  onRequestSeen?: (request: CapturedRequest) => void;
  private readonly sockets = new Set<WebSocket>();
  /** Each identified connection's `[shard_id, num_shards]` (`[0, 1]` when it sent none). */
  private readonly shardOfSocket = new Map<WebSocket, [number, number]>();
  private readonly recommendedShards: number;
  private readonly joinMessages: boolean;
  private readonly failures: Failure[] = [];
  private readonly stalls: { method: string; path: RegExp }[] = [];
  private readonly dmChannels = new Map<string, { id: string; type: 1; flags: number; recipients: FakeUser[] }>();
  private readonly extraChannels = new Map<string, FakeChannel & { guild_id?: string }>();
  private sequence = 0;
  private idCounter = 0n;
  private interactionCounter = 0;
  /**
   * Interactions by token: when they were created (the token works for 15 minutes, like
   * Discord's) and their original response, once the callback gave one (a deferral's is a
   * "thinking…" message, flag LOADING, until edited).
   */
  private readonly interactions = new Map<string, { createdAt: number; channelId: string; original?: StoredMessage; component?: StoredMessage }>();
  private readonly now: () => number;
  private server!: Server;
  private wss!: WebSocketServer;
  port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.token = options.token ?? 'fake-token';
    this.applicationId = options.applicationId ?? '900000000000000001';
    this.bot = options.bot ?? { id: this.applicationId, username: 'Hearth', bot: true };
    this.guilds = options.guilds ?? [];
    this.recommendedShards = options.shards ?? 1;
    this.joinMessages = options.joinMessages ?? false;
    let tick = Date.UTC(2026, 0, 5, 9, 0, 0);
    this.now = options.now ?? (() => tick++);
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await fake.listen();
    return fake;
  }

  /** `DISCORD_API_URL` for the client (discord.js appends /v10). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  private async listen(): Promise<void> {
    warmDiscordSpec(ROUTES);
    this.server = createServer((req, res) => {
      this.onRequest(req, res).catch((error) => this.json(res, 500, { message: String(error), code: 0 }));
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.onSocket(ws));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.close(1000);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A fresh snowflake whose timestamp is the fake's clock. */
  snowflake(): string {
    this.idCounter += 1n;
    return String(((BigInt(this.now()) - DISCORD_EPOCH) << 22n) + (this.idCounter % 4096n));
  }

  /** Make the next matching request fail once with this response. */
  failNext(method: string, path: RegExp, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.failures.push({ method, path, status, body, headers });
  }

  /**
   * Handle the next matching request (a message is created) but never answer it: the client
   * sees a timeout although Discord acted, like a response lost on the way back.
   */
  stallNext(method: string, path: RegExp): void {
    this.stalls.push({ method, path });
  }

  /** Requests matching method and path (path relative to /api/v10). */
  requestsTo(method: string, path: RegExp): CapturedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** Messages whose nonce Discord no longer de-duplicates (see forgetNonces). */
  private readonly forgottenNonces = new Set<string>();

  /**
   * Discord de-duplicates an enforced nonce for a few minutes only: after this, a repeated
   * nonce creates a new message (listed messages keep their nonce).
   */
  forgetNonces(): void {
    for (const id of this.messages.keys()) this.forgottenNonces.add(id);
  }

  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  // ---------------------------------------------------------------- gateway

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.shardOfSocket.delete(ws);
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
    ws.on('message', (raw) => {
      const payload = JSON.parse(String(raw));
      if (payload.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (payload.op === 2) this.onIdentify(ws, payload.d);
      else if (payload.op === 6) ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.sequence, d: {} }));
    });
  }

  private onIdentify(ws: WebSocket, identify: any): void {
    this.identifies.push(identify);
    if (identify.token !== this.token && identify.token !== `Bot ${this.token}`) {
      ws.close(4004, 'Authentication failed');
      return;
    }
    // IDENTIFY's optional `shard: [shard_id, num_shards]`; a shard id outside the count is 4010.
    const shard: [number, number] = Array.isArray(identify.shard) ? [Number(identify.shard[0]), Number(identify.shard[1])] : [0, 1];
    if (!(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) {
      ws.close(4010, 'Invalid shard');
      return;
    }
    this.shardOfSocket.set(ws, shard);
    const send = (t: string, d: unknown) => {
      checkDiscordDispatch(t, d);
      ws.send(JSON.stringify({ op: 0, t, s: ++this.sequence, d }));
    };
    const guilds = this.guilds.filter((g) => shardOf(g.id, shard[1]) === shard[0]);
    send('READY', {
      v: 10,
      session_id: `fake-session-${shard[0]}`,
      resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
      user: { ...this.bot, discriminator: '0', bot: true },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      application: { id: this.applicationId, flags: 0 },
      ...(Array.isArray(identify.shard) ? { shard } : {}),
    });
    for (const guild of guilds) send('GUILD_CREATE', this.guildPayload(guild));
  }

  /**
   * Send a dispatch to the connected clients that should get it: a server's events to the
   * shard that server belongs to, direct messages (no guild) to shard 0, like Discord.
   */
  dispatch(t: string, d: unknown): void {
    checkDiscordDispatch(t, d);
    const frame = JSON.stringify({ op: 0, t, s: ++this.sequence, d });
    const guildId = (d as { guild_id?: string } | null)?.guild_id;
    for (const ws of this.sockets) {
      const [id, count] = this.shardOfSocket.get(ws) ?? [0, 1];
      if ((guildId ? shardOf(guildId, count) : 0) === id) ws.send(frame);
    }
  }

  /** Identified connections per shard id (tests check each shard got its own). */
  connectedShards(): [number, number][] {
    return [...this.shardOfSocket.values()];
  }

  private guildPayload(guild: FakeGuild) {
    const channels = guild.channels.filter((c) => ![10, 11, 12].includes(c.type));
    const threads = guild.channels.filter((c) => [10, 11, 12].includes(c.type)).map((c) => this.threadPayload(guild, c));
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      description: null,
      home_header: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      owner_id: guild.owner_id,
      application_id: null,
      region: 'deprecated',
      afk_channel_id: null,
      system_channel_id: guild.system_channel_id ?? null,
      system_channel_flags: 0,
      widget_enabled: false,
      widget_channel_id: null,
      public_updates_channel_id: null,
      rules_channel_id: null,
      safety_alerts_channel_id: null,
      features: [],
      emojis: [],
      stickers: [],
      roles: guild.roles.map((r, i) => ({
        color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, managed: false,
        mentionable: false, icon: null, unicode_emoji: null, position: i, flags: 0, ...r,
      })),
      // last_message_id: the newest message, as Discord keeps it (null for a channel without one).
      channels: channels.map((c, i) => ({ position: i, flags: 0, permission_overwrites: [], guild_id: guild.id, last_message_id: this.historyOf(c.id).at(-1)?.id ?? null, ...c })),
      threads,
      members: [...guild.members, { user: this.bot, roles: [] }].map((m) => this.memberPayload(m)),
      member_count: guild.members.length + 1,
      large: false,
      unavailable: false,
      joined_at: new Date(this.now()).toISOString(),
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      premium_tier: 0,
      preferred_locale: 'en-US',
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw: false,
      nsfw_level: 0,
      afk_timeout: 300,
      max_presences: null,
      max_members: 250000,
      max_stage_video_channel_users: 50,
      max_video_channel_users: 25,
      vanity_url_code: null,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      incidents_data: null,
    };
  }

  private threadPayload(guild: FakeGuild, c: FakeChannel) {
    return {
      guild_id: guild.id,
      owner_id: this.bot.id,
      flags: 0,
      message_count: 0,
      member_count: 0,
      total_message_sent: 0,
      rate_limit_per_user: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date(this.now()).toISOString(), locked: false },
      ...c,
    };
  }

  private applicationPayload() {
    return {
      id: this.applicationId,
      name: 'Hearth',
      icon: null,
      description: '',
      type: null,
      verify_key: 'fake-verify-key',
      flags: 0,
      flags_new: '0',
      redirect_uris: [],
      interactions_endpoint_url: null,
      role_connections_verification_url: null,
      owner: this.userPayload({ id: '900000000000000002', username: 'owner' }),
      bot: this.userPayload(this.bot),
      approximate_guild_count: this.guilds.length,
      approximate_user_install_count: 0,
      approximate_user_authorization_count: 0,
      explicit_content_filter: 0,
      team: null,
      eligible_oauth2_scopes: [],
    };
  }

  memberPayload(m: FakeMember) {
    return {
      user: this.userPayload(m.user),
      roles: m.roles,
      nick: m.nick ?? null,
      avatar: null,
      banner: null,
      communication_disabled_until: null,
      premium_since: null,
      pending: false,
      joined_at: m.joined_at ?? new Date(this.now()).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    };
  }

  userPayload(u: FakeUser) {
    return { discriminator: '0', avatar: null, global_name: null, public_flags: 0, flags: 0, primary_guild: null, bot: false, ...u };
  }

  guild(id?: string): FakeGuild {
    const guild = id ? this.guilds.find((g) => g.id === id) : this.guilds[0];
    if (!guild) throw new Error(`no fake guild ${id}`);
    return guild;
  }

  private findChannel(id: string): (FakeChannel & { guild_id?: string }) | { id: string; type: 1; recipients: FakeUser[] } | undefined {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === id);
      if (channel) return { ...channel, guild_id: guild.id };
    }
    return this.extraChannels.get(id) ?? [...this.dmChannels.values()].find((c) => c.id === id);
  }

  private guildOfChannel(channelId: string): FakeGuild | undefined {
    return this.guilds.find((g) => g.channels.some((c) => c.id === channelId));
  }

  // ---------------------------------------------------------------- history (backfill)

  /** A message in a channel's past: served by the history routes, never dispatched. */
  seedMessage(channelId: string, author: FakeUser, content: string, extra: Record<string, unknown> = {}): StoredMessage {
    const message = this.messagePayload(channelId, author, content, extra);
    const list = this.history.get(channelId) ?? [];
    list.push(message);
    list.sort((a, b) => compareSnowflakes(a.id, b.id));
    this.history.set(channelId, list);
    return message;
  }

  /**
   * A thread under `parentId` (archived ones are listed by the archived-threads route, the
   * rest by the active-threads route). A forum post's starter message shares the thread's id:
   * pass `starter` to seed it.
   */
  seedThread(
    parentId: string,
    name: string,
    options: { id?: string; type?: 10 | 11 | 12; archived?: boolean; starter?: { author: FakeUser; content: string } } = {},
  ): FakeChannel {
    const guild = this.guildOfChannel(parentId);
    if (!guild) throw new Error(`no fake channel ${parentId}`);
    // A thread started from a message has that message's id, like Discord.
    const id = options.id ?? this.snowflake();
    const thread: FakeChannel = {
      id,
      type: options.type ?? 11,
      name,
      parent_id: parentId,
      thread_metadata: { archived: Boolean(options.archived), auto_archive_duration: 1440, archive_timestamp: new Date(this.now()).toISOString(), locked: false },
    };
    guild.channels.push(thread);
    if (options.starter) this.seedMessage(id, options.starter.author, options.starter.content, { id });
    return thread;
  }

  private historyOf(channelId: string): StoredMessage[] {
    return [...(this.history.get(channelId) ?? []), ...this.messagesIn(channelId)].sort((a, b) => compareSnowflakes(a.id, b.id));
  }

  /** Discord's paging: `after` -> the messages right after it; `before` or nothing -> the latest ones; always newest first. */
  private pageOfMessages(channelId: string, query: URLSearchParams): StoredMessage[] {
    const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50)));
    const all = this.historyOf(channelId);
    const after = query.get('after');
    const before = query.get('before');
    if (after !== null) return all.filter((m) => compareSnowflakes(m.id, after) > 0).slice(0, limit).reverse();
    const older = before !== null ? all.filter((m) => compareSnowflakes(m.id, before) < 0) : all;
    return older.slice(-limit).reverse();
  }

  private threadsOf(guild: FakeGuild, archived: boolean, parentId?: string) {
    return guild.channels
      .filter((c) => [10, 11, 12].includes(c.type) && Boolean(c.thread_metadata?.archived) === archived && (!parentId || c.parent_id === parentId))
      .map((c) => this.threadPayload(guild, c));
  }

  // ---------------------------------------------------------------- inbound helpers (as members)

  /** A member joins: GUILD_MEMBER_ADD. */
  memberJoins(user: FakeUser, guildId = this.guild().id): void {
    const guild = this.guild(guildId);
    const member: FakeMember = { user, roles: [], joined_at: new Date(this.now()).toISOString() };
    guild.members.push(member);
    this.dispatch('GUILD_MEMBER_ADD', { ...this.memberPayload(member), guild_id: guildId });
    if (this.joinMessages && guild.system_channel_id) this.memberPosts(user, guild.system_channel_id, '', { type: 7 });
  }

  // ---------------------------------------------------------------- attachments (the CDN)

  /** Files served at /attachments/... as Discord's CDN serves them, and who downloaded them. */
  readonly files = new Map<string, { contentType: string; data: Buffer }>();
  readonly fileDownloads: { path: string; auth?: string }[] = [];

  /** An attachment object (API shape) whose bytes this fake serves. */
  attachment(filename: string, contentType: string, data: Buffer, extra: Record<string, unknown> = {}) {
    const id = this.snowflake();
    const path = `/attachments/${id}/${filename}`;
    this.files.set(path, { contentType, data });
    const url = `http://127.0.0.1:${this.port}${path}?ex=signed`;
    return { id, filename, size: data.length, url, proxy_url: url, content_type: contentType, ...extra };
  }

  /** A member records a voice message (flag IS_VOICE_MESSAGE, one audio/ogg attachment with its duration). */
  memberSendsVoiceMessage(user: FakeUser, channelId: string, spoken: string, durationSecs = 4): StoredMessage {
    const voice = this.attachment('voice-message.ogg', 'audio/ogg', Buffer.from(spoken), { duration_secs: durationSecs, waveform: 'AAAA', flags: 8192 });
    return this.memberPosts(user, channelId, '', { flags: 8192, attachments: [voice] });
  }

  private serveFile(req: IncomingMessage, res: ServerResponse, path: string): void {
    this.fileDownloads.push({ path, auth: req.headers.authorization });
    const file = this.files.get(decodeURIComponent(path));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.data.length) });
    res.end(file.data);
  }

  /** A member posts: MESSAGE_CREATE. Returns the message payload. */
  memberPosts(user: FakeUser, channelId: string, content: string, extra: Record<string, unknown> = {}): StoredMessage {
    const guild = this.guildOfChannel(channelId);
    const member = guild?.members.find((m) => m.user.id === user.id);
    const message = this.messagePayload(channelId, user, content, extra);
    // Kept in the channel, like Discord: a client that missed the event (no connection for the
    // server's shard) finds it with `GET /channels/{id}/messages?after=`.
    const list = this.history.get(channelId) ?? [];
    list.push(message);
    this.history.set(channelId, list);
    this.dispatch('MESSAGE_CREATE', {
      ...message,
      ...(member ? { member: { ...this.memberPayload(member), user: undefined } } : {}),
    });
    return message;
  }

  messagePayload(channelId: string, author: FakeUser, content: string, extra: Record<string, unknown> = {}): StoredMessage {
    const guild = this.guildOfChannel(channelId);
    const id = this.snowflake();
    return {
      id,
      channel_id: channelId,
      ...(guild ? { guild_id: guild.id } : {}),
      author: this.userPayload(author) as FakeUser,
      content,
      // As on Discord, the time a message id carries is its timestamp.
      timestamp: new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH)).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
      ...extra,
      // Discord always says which kind of reference it is (0: a reply) and never echoes request-only fields.
      ...(extra.message_reference ? { message_reference: referencePayload(extra.message_reference as Record<string, unknown>) } : {}),
    };
  }

  private interactionBase(user: FakeUser, channelId: string, permissions: string, guildId = this.guildOfChannel(channelId)?.id) {
    const guild = this.guild(guildId);
    const member = guild.members.find((m) => m.user.id === user.id) ?? { user, roles: [] };
    const channel = this.findChannel(channelId)!;
    this.interactionCounter += 1;
    const token = `interaction-token-${this.interactionCounter}`;
    this.interactions.set(token, { createdAt: this.now(), channelId });
    return {
      id: this.snowflake(),
      application_id: this.applicationId,
      token,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      channel_id: channelId,
      channel: { ...channel, guild_id: guild.id },
      member: { ...this.memberPayload(member), permissions },
      locale: 'en-US',
      guild_locale: 'en-US',
      app_permissions: '2251799813685247',
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
    };
  }

  /** A member runs a slash command: INTERACTION_CREATE type 2. Returns the interaction token. */
  slashCommand(user: FakeUser, channelId: string, name: string, options: { name: string; type: number; value: unknown }[] = [], permissions = '0'): string {
    const base = this.interactionBase(user, channelId, permissions);
    this.dispatch('INTERACTION_CREATE', { ...base, type: 2, data: { id: this.snowflake(), name, type: 1, options } });
    return base.token;
  }

  /** A member types in an autocomplete option (`focused`): INTERACTION_CREATE type 4. Returns the interaction token. */
  autocomplete(user: FakeUser, channelId: string, name: string, focused: { name: string; value: string }, permissions = '0'): string {
    const base = this.interactionBase(user, channelId, permissions);
    this.dispatch('INTERACTION_CREATE', {
      ...base,
      type: 4,
      data: { id: this.snowflake(), name, type: 1, options: [{ name: focused.name, type: 3, value: focused.value, focused: true }] },
    });
    return base.token;
  }

  /** A member uses a message context menu on `target`. */
  messageCommand(user: FakeUser, channelId: string, name: string, target: StoredMessage, permissions = '0'): string {
    const base = this.interactionBase(user, channelId, permissions);
    this.dispatch('INTERACTION_CREATE', {
      ...base,
      type: 2,
      data: { id: this.snowflake(), name, type: 3, target_id: target.id, resolved: { messages: { [target.id]: target } } },
    });
    return base.token;
  }

  /** A member presses a button on one of the bot's messages. */
  pressButton(user: FakeUser, message: StoredMessage, customId: string, permissions = '0'): string {
    const base = this.interactionBase(user, message.channel_id, permissions);
    this.interactions.get(base.token)!.component = message;
    this.dispatch('INTERACTION_CREATE', { ...base, type: 3, message, data: { custom_id: customId, component_type: 2 } });
    return base.token;
  }

  /**
   * A user presses a button on one of the bot's messages in their DM with the bot (no guild:
   * Discord sends `user`, not `member`, and a DM channel).
   */
  pressDmButton(user: FakeUser, message: StoredMessage, customId: string): string {
    const channel = this.findChannel(message.channel_id)!;
    this.interactionCounter += 1;
    const token = `interaction-token-${this.interactionCounter}`;
    this.interactions.set(token, { createdAt: this.now(), channelId: channel.id, component: message });
    this.dispatch('INTERACTION_CREATE', {
      id: this.snowflake(),
      application_id: this.applicationId,
      token,
      version: 1,
      type: 3,
      channel_id: channel.id,
      channel: { id: channel.id, type: 1 },
      user: this.userPayload(user),
      locale: 'en-US',
      app_permissions: '2251799813685247',
      entitlements: [],
      authorizing_integration_owners: { '0': user.id },
      context: 1,
      message,
      data: { custom_id: customId, component_type: 2 },
    });
    return token;
  }

  /**
   * An interaction of `user` in `channelId` that the bot answered (or did not) before a crash,
   * for lookups by token: `replied` (content), `deferred` ("thinking…", flag LOADING) or `none`.
   * Nothing is dispatched. Returns the token.
   */
  pastInteraction(user: FakeUser, channelId: string, state: { replied: string } | 'deferred' | 'none'): string {
    const { token } = this.interactionBase(user, channelId, '0');
    const interaction = this.interactions.get(token)!;
    if (state !== 'none') {
      const deferred = state === 'deferred';
      interaction.original = this.messagePayload(channelId, this.bot, deferred ? '' : state.replied, {
        flags: 64 | (deferred ? 128 : 0),
        webhook_id: this.applicationId,
        application_id: this.applicationId,
      });
    }
    return token;
  }

  /** The interaction's original response as Discord keeps it (undefined: none). */
  originalResponse(token: string): StoredMessage | undefined {
    return this.interactions.get(token)?.original;
  }

  /** Move an interaction 15 minutes into the past: its token no longer works. */
  expireInteraction(token: string): void {
    const interaction = this.interactions.get(token);
    if (interaction) interaction.createdAt -= 15 * 60_000 + 1;
  }

  /** The DM channel the bot opened with a user, if any. */
  dmChannelWith(userId: string): string | undefined {
    return this.dmChannels.get(userId)?.id;
  }

  /** Requests answering one interaction (callback and webhook calls), in order. */
  interactionCalls(token: string): CapturedRequest[] {
    return this.requests.filter((r) => r.path.includes(`/${token}`));
  }

  // ---------------------------------------------------------------- REST

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (status === 204) {
      res.writeHead(204, headers).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  private async readBody(req: IncomingMessage): Promise<{ body: any; files: string[] }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    if (raw.length === 0) return { body: undefined, files: [] };
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
      const files: string[] = [];
      let body: any;
      for (const [key, value] of form.entries()) {
        if (key === 'payload_json') body = JSON.parse(String(value));
        else if (typeof value !== 'string') files.push(value.name);
      }
      return { body, files };
    }
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The CDN (cdn.discordapp.com/attachments/...): signed URLs, no authorization header.
    if (url.pathname.startsWith('/attachments/')) return this.serveFile(req, res, url.pathname);
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    const method = req.method ?? 'GET';
    const { body, files } = await this.readBody(req);
    const captured: CapturedRequest = { method, path, query: url.searchParams, body, files, auth: req.headers.authorization, status: 0 };
    this.requests.push(captured);
    this.onRequestSeen?.(captured);
    const stall = this.stalls.findIndex((st) => st.method === method && st.path.test(path));
    if (stall >= 0) this.stalls.splice(stall, 1);
    const spec = checkDiscordRequest({ method, pathname: url.pathname, query: url.searchParams, body });
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      captured.status = status;
      if (spec.operation) checkDiscordResponse(spec.operation, status, payload);
      if (stall >= 0) return; // the response is lost; closeAllConnections() ends it on close()
      this.json(res, status, payload, headers);
    };

    // What the published description rejects, Discord rejects: 400 Invalid Form Body (or 404 for no such route).
    if (spec.error) {
      if (!spec.operation) return reply(404, { message: `404: Not Found (${spec.error})`, code: 0 });
      return reply(400, { message: `Invalid Form Body (${spec.error})`, code: 50035, errors: {} });
    }

    const failure = this.failures.findIndex((f) => f.method === method && f.path.test(path));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      reply(f.status, f.body, f.headers);
      return;
    }
    const interactionRoute = /^\/(interactions|webhooks)\//.test(path);
    if (!interactionRoute && req.headers.authorization !== `Bot ${this.token}`) {
      reply(401, { message: '401: Unauthorized', code: 0 });
      return;
    }

    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      reply(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: this.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    } else if (method === 'GET' && path === '/applications/@me') {
      reply(200, this.applicationPayload());
    } else if (method === 'PUT' && (m = path.match(/^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/))) {
      if (m[1] !== this.applicationId) return reply(404, { message: 'Unknown Application', code: 10002 });
      // Discord answers permissions as a string and every command with a description ('' for menus).
      const saved = (body as any[]).map((c) => ({
        id: this.snowflake(), application_id: this.applicationId, version: '1', description: '', ...c,
        default_member_permissions: c.default_member_permissions == null ? null : String(c.default_member_permissions),
      }));
      this.registered.set(m[2] ?? 'global', saved);
      reply(200, saved);
    } else if (method === 'GET' && (m = path.match(/^\/channels\/(\d+)$/))) {
      const channel = this.findChannel(m[1]);
      if (!channel) reply(404, { message: 'Unknown Channel', code: 10003 });
      else reply(200, channel.type >= 10 && channel.type <= 12 ? this.threadPayload(this.guildOfChannel(channel.id)!, channel as FakeChannel) : channel);
    } else if (method === 'GET' && (m = path.match(/^\/guilds\/(\d+)$/))) {
      const guild = this.guilds.find((g) => g.id === m![1]);
      if (!guild) return reply(404, { message: 'Unknown Guild', code: 10004 });
      const { channels: _channels, members: _members, ...rest } = this.guildPayload(guild);
      reply(200, rest);
    } else if (method === 'GET' && (m = path.match(/^\/guilds\/(\d+)\/members\/(\d+)$/))) {
      const member = this.guilds.find((g) => g.id === m![1])?.members.findLast((mem) => mem.user.id === m![2]);
      if (!member) return reply(404, { message: 'Unknown Member', code: 10007 });
      reply(200, this.memberPayload(member));
    } else if (method === 'GET' && (m = path.match(/^\/guilds\/(\d+)\/channels$/))) {
      const guild = this.guilds.find((g) => g.id === m![1]);
      if (!guild) return reply(404, { message: 'Unknown Guild', code: 10004 });
      reply(200, this.guildPayload(guild).channels);
    } else if (method === 'GET' && (m = path.match(/^\/guilds\/(\d+)\/threads\/active$/))) {
      const guild = this.guilds.find((g) => g.id === m![1]);
      if (!guild) return reply(404, { message: 'Unknown Guild', code: 10004 });
      reply(200, { threads: this.threadsOf(guild, false), members: [], has_more: false });
    } else if (method === 'GET' && (m = path.match(/^\/channels\/(\d+)\/threads\/archived\/public$/))) {
      const guild = this.guildOfChannel(m[1]);
      if (!guild) return reply(404, { message: 'Unknown Channel', code: 10003 });
      reply(200, { threads: this.threadsOf(guild, true, m[1]).filter((t) => t.type !== 12), members: [], has_more: false });
    } else if (method === 'GET' && (m = path.match(/^\/channels\/(\d+)\/messages$/))) {
      if (!this.findChannel(m[1])) return reply(404, { message: 'Unknown Channel', code: 10003 });
      reply(200, this.pageOfMessages(m[1], url.searchParams));
    } else if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = this.guilds.flatMap((g) => g.members).find((mem) => mem.user.id === body.recipient_id)?.user ?? { id: body.recipient_id, username: 'someone' };
      let dm = this.dmChannels.get(body.recipient_id);
      if (!dm) {
        dm = { id: this.snowflake(), type: 1, flags: 0, recipients: [this.userPayload(recipient) as FakeUser] };
        this.dmChannels.set(body.recipient_id, dm);
      }
      reply(200, dm);
    } else if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/messages$/))) {
      if (!this.findChannel(m[1])) return reply(404, { message: 'Unknown Channel', code: 10003 });
      // enforce_nonce: Discord answers a repeated nonce with the message it already created.
      const channelId = m[1];
      const same = body?.enforce_nonce && body.nonce !== undefined
        ? [...this.messages.values()].find((msg) => msg.channel_id === channelId && msg.nonce === body.nonce && !this.forgottenNonces.has(msg.id))
        : undefined;
      reply(200, same ?? this.createBotMessage(channelId, body, files));
    } else if (method === 'PATCH' && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const message = this.messages.get(m[2]);
      if (!message || message.channel_id !== m[1]) return reply(404, { message: 'Unknown Message', code: 10008 });
      Object.assign(message, pickMessageFields(body), { edited_timestamp: new Date(this.now()).toISOString() });
      reply(200, message);
      this.dispatch('MESSAGE_UPDATE', message);
    } else if (method === 'PUT' && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/))) {
      reply(204, undefined);
    } else if (method === 'POST' && (m = path.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      const interaction = this.interactions.get(m[2]);
      // A reply (4) or a deferral (5) is the interaction's original response.
      if (interaction && (body?.type === 4 || body?.type === 5)) {
        const data = body.data ?? {};
        const loading = body.type === 5 ? 128 : 0;
        interaction.original = this.messagePayload(interaction.channelId, this.bot, body.type === 4 ? (data.content ?? '') : '', {
          ...pickMessageFields(data),
          flags: ((data.flags ?? 0) & 64) | loading,
          webhook_id: this.applicationId,
          application_id: this.applicationId,
        });
      }
      // A button's deferred update (6) or update (7): the original is the message the button is on (a copy here).
      if (interaction?.component && (body?.type === 6 || body?.type === 7)) interaction.original = { ...interaction.component, ...pickMessageFields(body.data) };
      reply(204, undefined);
    } else if ((m = path.match(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/))) {
      const interaction = this.interactions.get(m[2]);
      // An interaction token works for 15 minutes (Discord: 401 Invalid Webhook Token).
      if (interaction && this.now() - interaction.createdAt > 15 * 60_000) return reply(401, { message: 'Invalid Webhook Token', code: 50027 });
      const original = m[3] !== undefined && decodeURIComponent(m[3]) === '@original';
      if (original && interaction && method === 'GET') {
        if (!interaction.original) return reply(404, { message: 'Unknown Message', code: 10008 });
        return reply(200, interaction.original);
      }
      if (original && interaction && method === 'PATCH') {
        if (!interaction.original) return reply(404, { message: 'Unknown Message', code: 10008 });
        const edited = { ...pickMessageFields(body) };
        Object.assign(interaction.original, edited, { flags: (Number(interaction.original.flags ?? 0) & ~128) | (Number(edited.flags ?? 0) & ~128) , edited_timestamp: new Date(this.now()).toISOString() });
        return reply(200, interaction.original);
      }
      if (method === 'DELETE') return reply(204, undefined);
      const message = this.messagePayload('0', this.bot, body?.content ?? '', {
        ...pickMessageFields(body),
        webhook_id: this.applicationId,
        application_id: this.applicationId,
      });
      reply(200, message);
    } else {
      reply(404, { message: `404: Not Found (fake has no ${method} ${path})`, code: 0 });
    }
  }

  private createBotMessage(channelId: string, body: any, files: string[]): StoredMessage {
    const message = this.messagePayload(channelId, this.bot, body?.content ?? '', {
      ...pickMessageFields(body),
      attachments: files.map((filename) => ({ id: this.snowflake(), filename, size: 1, url: `http://127.0.0.1/${filename}`, proxy_url: `http://127.0.0.1/${filename}` })),
      ...(body?.message_reference ? { message_reference: { channel_id: channelId, ...body.message_reference }, type: 19 } : {}),
      ...(body?.nonce !== undefined ? { nonce: body.nonce } : {}),
    });
    this.messages.set(message.id, message);
    // Discord echoes the bot's own messages over the gateway.
    this.dispatch('MESSAGE_CREATE', message);
    return message;
  }
}

function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a), y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function pickMessageFields(body: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['content', 'components', 'flags', 'embeds']) if (body && key in body && body[key] !== undefined) out[key] = body[key];
  if (Array.isArray(out.components)) out.components = numberComponents(out.components);
  return out;
}

/** Discord numbers every component of a message it stores (depth first, from 1) when the request gave no id. */
function numberComponents(components: unknown[]): unknown[] {
  let next = 0;
  const number = (c: any): any => {
    const id = c.id ?? ++next;
    return { ...c, id, ...(Array.isArray(c.components) ? { components: c.components.map(number) } : {}) };
  };
  return components.map(number);
}

function referencePayload(reference: Record<string, unknown>): Record<string, unknown> {
  const { fail_if_not_exists: _ignored, ...rest } = reference;
  return { type: 0, ...rest };
}
