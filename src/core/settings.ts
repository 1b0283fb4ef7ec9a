/**
 * Per-community settings that moderators change with `/hearth-config`, stored in the
 * database with defaults that work out of the box. Each setting parses its value from
 * text (what a moderator types) and explains itself, so the config command, the care
 * policy and the README can all be generated from this one table.
 */
import { z } from 'zod';
import { parseDuration } from './clock';
import type { Repositories } from './storage';
import { STAKES_CLASSES, isStakesClass, type StakesClass } from './stakes/classes';

/** What a value is parsed for: some values mean something only in their community. */
export interface SettingContext {
  community: string;
}

export interface SettingDefinition<T> {
  description: string;
  default: T;
  /** Parse what a moderator typed; throw an Error with a clear message when invalid. */
  parse(text: string, context?: SettingContext): T;
  /** Render the value for display. */
  show?(value: T): string;
}

const channelId = (text: string): string | null => {
  const t = text.trim();
  if (!t || t === 'none' || t === 'default') return null;
  // Accept platform channel mentions: Discord <#123>, Slack <#C123|name>, plain #name or id.
  const m = t.match(/^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$/);
  return m ? m[1] : t.replace(/^#/, '');
};
const idList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    // Lazy prefix: a greedy one read Slack's `<!channel>` as "l" and `<!here>` as "e".
    .map((s) => s.replace(/^<[@!#&^a-z]*?([A-Za-z0-9]+)(?:\|[^>]*)?>$/i, '$1').replace(/^[@#]/, ''))
    .filter((s) => s && s !== 'none');
/** Mentions that reach the whole community (Discord @everyone/@here, Slack <!channel>/<!here>/<!everyone>). */
const EVERYONE_MENTIONS = new Set(['everyone', 'here', 'channel']);
/**
 * Roles, user groups or people to ping: never one that is everyone. On Discord the @everyone
 * role's id is the server's own id (the community id after its platform prefix); every member
 * holds it, so as a moderator role it would also make every member a moderator.
 */
const audienceList = (text: string, context?: SettingContext): string[] => {
  const ids = idList(text);
  const platformId = context?.community.slice(context.community.indexOf(':') + 1);
  for (const id of ids) {
    if (EVERYONE_MENTIONS.has(id.toLowerCase())) {
      throw new Error(`"${id}" would ping the whole community on every escalation; name a moderator role or user group instead`);
    }
    if (id === platformId) {
      throw new Error(`${id} is this community's everyone role (its id is the server's own): it would ping the whole community on every escalation; name a moderator role instead`);
    }
  }
  return ids;
};
const duration = (text: string) => parseDuration(text);
const showDuration = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`);
const positiveInt = (text: string) => {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a whole number of at least 1, got "${text}"`);
  return n;
};
const choice =
  <T extends string>(...options: T[]) =>
  (text: string): T => {
    const t = text.trim().toLowerCase() as T;
    if (!options.includes(t)) throw new Error(`expected one of ${options.join(', ')}, got "${text}"`);
    return t;
  };
const onOff = (text: string): boolean => ['on', 'true', 'yes'].includes(choice('on', 'off', 'true', 'false', 'yes', 'no')(text));
const template = (text: string) => {
  const t = text.trim();
  if (!t) throw new Error('the template cannot be empty');
  if (t.length > 1500) throw new Error('the template is too long (1500 characters at most)');
  return t;
};

export function isTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
const stakesClassList = (text: string): StakesClass[] => {
  const t = text.trim().toLowerCase();
  if (t === 'all') return [...STAKES_CLASSES];
  const items = t.split(/[\s,]+/).filter((s) => s && s !== 'none');
  const unknown = items.filter((s) => !isStakesClass(s));
  if (unknown.length) throw new Error(`unknown stakes class ${unknown.map((u) => `"${u}"`).join(', ')}; classes: ${STAKES_CLASSES.join(', ')} (or all / none)`);
  return [...new Set(items)] as StakesClass[];
};
const showClasses = (v: readonly string[]) => (v.length === STAKES_CLASSES.length ? 'all' : v.join(', ') || 'none');

const threshold = (text: string): number | null => {
  const t = text.trim().toLowerCase();
  if (t === 'default' || t === 'none') return null;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0.01 || n > 0.99) throw new Error(`expected a number from 0.01 to 0.99 (or default), got "${text}"`);
  return Math.round(n * 100) / 100;
};
const showThreshold = (v: number | null) => (v === null ? 'default' : v.toFixed(2));

function define<T>(d: SettingDefinition<T>): SettingDefinition<T> {
  return d;
}

/**
 * Settings of one kind parse and show their values the same way: `toggle(description,
 * default)` is an on/off setting, and so on.
 */
const ofKind =
  <T>(parse: (text: string, context?: SettingContext) => T, show?: (value: T) => string) =>
  (description: string, defaultValue: T): SettingDefinition<T> =>
    show ? { description, default: defaultValue, parse, show } : { description, default: defaultValue, parse };
const showList = (v: string[]) => v.join(', ') || '(none)';
const toggle = ofKind(onOff, (v) => (v ? 'on' : 'off'));
const durationSetting = ofKind(duration, showDuration);
const countSetting = ofKind(positiveInt);
const channelSetting = ofKind(channelId);
const audienceSetting = ofKind(audienceList, showList);
const classesSetting = ofKind(stakesClassList, showClasses);
const thresholdSetting = ofKind(threshold, showThreshold);

export const SETTINGS = {
  welcomeChannel: channelSetting('Channel for welcomes (default: the channel the platform announces joins in)', null),
  welcomeMode: define<'channel' | 'dm'>({
    description: 'Welcome newcomers in the welcome channel or by direct message',
    default: 'channel',
    parse: choice('channel', 'dm'),
  }),
  welcomeTemplate: define<string>({
    description: 'Welcome text; {name} is the newcomer, {community} the community',
    default:
      "Welcome to {community}, {name}! We're glad you're here. Say hello and tell us what brought you. " +
      'You can reach a person from the team any time with `/human`, and `/care-policy` explains how we look after each other.',
    parse: template,
  }),
  welcomeCrewChannel: channelSetting('Channel where the welcome crew is asked to greet newcomers (default: a direct message to each welcomer)', null),
  firstQuestionWait: durationSetting('Nudge the welcome crew when a newcomer’s first question has no human answer after this long', 30 * 60_000),
  // Busy communities: one public welcome per join floods the welcome channel.
  welcomeBatching: define<'off' | 'batch' | 'first-post'>({
    description:
      'When joins come fast (more than welcomeBatchJoins within welcomeBatchWindow): batch = one welcome naming the newcomers of the window, first-post = welcome each newcomer when they first post, off = one welcome per join. The crew is still asked per newcomer; direct-message welcomes are never batched',
    default: 'batch',
    parse: choice('off', 'batch', 'first-post'),
  }),
  welcomeBatchJoins: countSetting('Joins within welcomeBatchWindow up to which each newcomer gets their own welcome; more count as joins coming fast', 5),
  welcomeBatchWindow: durationSetting('Window for counting joins towards welcomeBatchJoins; a batched welcome is posted this long after the first newcomer it names joined', 10 * 60_000),
  moderatorChannel: channelSetting('Channel where moderators get escalation pings and the digest', null),
  moderatorRoles: audienceSetting('Role / user group mentioned in escalation pings (the only group ever mentioned; never everyone)', []),
  secondTier: audienceSetting('Roles or people pinged when an escalation stays unclaimed past the second-tier delay (never everyone)', []),
  repingAfter: durationSetting('Re-ping moderators when an escalation is unclaimed this long', 10 * 60_000),
  secondTierAfter: durationSetting('Ping the second tier when an escalation is unclaimed this long', 30 * 60_000),
  reminderAfter: durationSetting(
    'After the second tier, remind the moderator channel (no mention) while an escalation stays unclaimed: first after this long, then twice as long each time, up to 8 times this',
    60 * 60_000,
  ),
  sameHereIncidentThreshold: countSetting('Distinct members saying "same here" within the incident window that open an incident', 5),
  sameHereIncidentWindow: durationSetting('Window for counting same-here reports towards an incident', 60 * 60_000),
  sameHereReaction: define<string>({
    description: 'Reaction that counts as "same here" on a message',
    default: '➕',
    parse: (t) => {
      const v = t.trim().replace(/^:|:$/g, '');
      if (!v) throw new Error('the reaction cannot be empty');
      return v;
    },
  }),
  autoRelated: toggle('Suggest related past discussions automatically for questions in help and forum channels', true),
  helpChannels: define<string[]>({
    description: 'Channels treated as help channels (forum channels always are)',
    default: ['help', 'support', 'questions'],
    parse: idList,
    show: showList,
  }),
  timezone: define<string>({
    description: 'Time zone (IANA name, e.g. Europe/Paris) for off-hours help and the weekly digest',
    default: 'UTC',
    parse: (t) => {
      const zone = t.trim();
      if (!isTimeZone(zone)) throw new Error(`unknown time zone "${t}": use an IANA name such as UTC or Europe/Paris`);
      return zone;
    },
  }),
  offHours: define<[number, number]>({
    description: 'Local hours counted as off-hours for burnout risk, as start-end (e.g. 22-7)',
    default: [22, 7],
    parse: (t) => {
      const m = t.trim().match(/^(\d{1,2})\s*-\s*(\d{1,2})$/);
      const range = m ? [Number(m[1]), Number(m[2])] : [];
      if (range.length !== 2 || range.some((h) => h > 23) || range[0] === range[1]) {
        throw new Error(`expected hours as start-end between 0 and 23, e.g. 22-7, got "${t}"`);
      }
      return range as [number, number];
    },
    show: (v) => `${v[0]}-${v[1]}`,
  }),
  helperReturnGap: define<number>({
    description: 'A member who helps again after this long without helping counts as a returning helper',
    default: 14 * 24 * 3_600_000,
    parse: duration,
    show: (ms) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : showDuration(ms)),
  }),
  weeklyDigest: toggle('Post the weekly community pulse digest to the moderator channel', true),
  humanFirstClasses: classesSetting('High-stakes classes where a human leads: no automated answer, the member is told a person will follow', [...STAKES_CLASSES]),
  autoEscalateClasses: classesSetting('Of the human-first classes, those that open an escalation with re-pings; the others are only flagged to moderators', [...STAKES_CLASSES]),
  typedRequests: toggle('Treat typed requests ("can I talk to a human?") like /human', true),
  riskFlags: toggle('Flag possible frustration, conflict or distress to moderators (no role ping; for their judgement, never an action)', true),
  transcribeVoice: toggle(
    'Transcribe voice messages and audio clips in public channels with the AI endpoint and post the labelled transcript in the thread (the Transcribe action works either way)',
    false,
  ),
  transcribeMaxDuration: durationSetting('Longest voice message or audio clip sent for transcription', 5 * 60_000),
  transcribeMaxMegabytes: countSetting('Largest audio file (MB) sent for transcription (OpenAI accepts up to 25)', 25),
  retentionDays: countSetting('Message text older than this many days is purged (signals stay, without text)', 365),
  // The learned recognisers' decision thresholds (0.01-0.99; `default` = chosen on the
  // development split, see models/PROVENANCE.md). Lower finds more, higher is surer.
  sameHereThreshold: thresholdSetting('How sure the same-here model must be to count a reply (default: the trained threshold; lower counts more)', null),
  wantsHumanThreshold: thresholdSetting('How sure the wants-a-human model must be to treat a message as a request for a person (default: the trained threshold)', null),
  moneyThreshold: thresholdSetting('How sure the money model must be to mark a message as money lost, disputed or fraud: high stakes (default: the trained threshold)', null),
  distressThreshold: thresholdSetting('How sure the distress model must be to raise a distress hint (default: the trained threshold)', null),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type CommunitySettings = { [K in SettingKey]: (typeof SETTINGS)[K]['default'] };

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

export function showSetting<K extends SettingKey>(key: K, value: CommunitySettings[K]): string {
  const def = SETTINGS[key] as SettingDefinition<CommunitySettings[K]>;
  if (def.show) return def.show(value);
  return value === null ? '(default)' : String(value);
}

export function defaultSettings(overrides: Partial<CommunitySettings> = {}): CommunitySettings {
  const base = Object.fromEntries(Object.entries(SETTINGS).map(([k, d]) => [k, d.default])) as CommunitySettings;
  return { ...base, ...overrides };
}

const storedValue = z.unknown();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Reads and writes settings through the repositories, layering stored values over defaults. */
export class SettingsService {
  constructor(
    private readonly repos: Repositories,
    /** Platform/env defaults (e.g. DISCORD_MOD_ROLE_ID) that apply until a moderator overrides them. */
    private readonly platformDefaults: Partial<CommunitySettings> = {},
  ) {}

  /** Settings are read on every event: cached per community, dropped on every change. */
  private readonly cache = new Map<string, CommunitySettings>();

  async get(community: string): Promise<CommunitySettings> {
    const cached = this.cache.get(community);
    if (cached) return cached;
    // Frozen: a caller mutating the shared object would change every later reader's view.
    const merged = deepFreeze(await this.load(community));
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(community, merged);
    return merged;
  }

  private async load(community: string): Promise<CommunitySettings> {
    const stored = await this.repos.settings.all(community);
    const merged = defaultSettings(this.platformDefaults);
    for (const [key, value] of Object.entries(stored)) {
      if (isSettingKey(key)) (merged as Record<string, unknown>)[key] = storedValue.parse(value);
    }
    return merged;
  }

  /** Parse and store a moderator's value; throws Error with a clear message when invalid. */
  async set(community: string, key: string, text: string, at: number, by?: string): Promise<unknown> {
    if (!isSettingKey(key)) {
      throw new Error(`unknown setting "${key}". Settings: ${Object.keys(SETTINGS).join(', ')}`);
    }
    const value = SETTINGS[key].parse(text, { community });
    await this.repos.settings.set(community, key, value, at, by);
    this.cache.delete(community);
    return value;
  }

  async reset(community: string, key: SettingKey): Promise<void> {
    await this.repos.settings.unset(community, key);
    this.cache.delete(community);
  }
}
