/**
 * Hearth's fields as HubSpot contact properties, all in the "Hearth" property group: one per
 * field of the member health record (src/core/health/member-health.ts) that says something
 * about the person, named `hearth_<field in snake case>`. HubSpot takes every value as a
 * string: numbers in decimal, booleans `true`/`false`, instants as ISO 8601 (its datetime
 * properties read them), null as an empty value.
 *
 * One contact is one person (src/core/identity: the same email in several communities, or
 * accounts linked by a member or a moderator): their accounts' records are combined (see
 * `contactProperties`).
 */
import type { MemberHealth } from '../../core/health/member-health';

export const GROUP = { name: 'hearth', label: 'Hearth', displayOrder: -1 } as const;

type Kind = 'string' | 'number' | 'bool' | 'datetime';

/** The record fields sent, with their HubSpot type; ids, email and the community are implicit or listed apart. */
const FIELDS: Array<[keyof MemberHealth, Kind, string]> = [
  ['displayName', 'string', 'Display name in the community'],
  ['joinedAt', 'datetime', 'When Hearth first saw them join'],
  ['firstSeenAt', 'datetime', 'First appearance in the community'],
  ['lastActiveAt', 'datetime', 'Latest post, action or request for a human'],
  ['welcomed', 'bool', 'A human greeted them within 24 hours of appearing'],
  ['timeToWelcomeMs', 'number', 'From first appearance to their first human greeting (ms)'],
  ['welcomesGiven', 'number', 'Newcomers they greeted'],
  ['helpsGiven', 'number', 'Times they helped someone'],
  ['helpsReceived', 'number', 'Times someone helped them'],
  ['thanksGiven', 'number', 'Thanks they gave'],
  ['thanksReceived', 'number', 'Thanks they received'],
  ['sameHeresGiven', 'number', '"Same here" on others\' messages'],
  ['sameHeresReceived', 'number', '"Same here" by others on their messages'],
  ['humanRequests', 'number', 'Requests for a human they made'],
  ['humanRequestsOpen', 'number', 'Of those, still unclaimed'],
  ['humanRequestClaimP50Ms', 'number', 'Median time to a moderator\'s claim (ms)'],
  ['newcomerReturned', 'bool', 'Came back 1 hour to 7 days after their first post'],
  ['recentHelps', 'number', 'Helps in the last 7 days'],
  ['helperLoadShare', 'number', 'Share of the community\'s helps in the last 7 days (0-1)'],
  ['burnoutRisk', 'bool', 'The pulse\'s helper burnout rule'],
  ['burnoutReasons', 'string', 'Why: large_share, rising_share, off_hours'],
  ['wentQuiet', 'bool', 'A regular who posted nothing in the last 28 days'],
];

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const propertyName = (field: string) => `hearth_${snake(field)}`;

/** Extra properties about the contact as a whole. */
const EXTRA: Array<[string, Kind, string]> = [
  ['hearth_communities', 'string', 'Communities the contact is a member of (platform:id; ...)'],
  ['hearth_member_ids', 'string', 'Their ids there (community/member; ...)'],
];

export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: Kind;
  fieldType: 'text' | 'number' | 'booleancheckbox' | 'date';
  options?: { label: string; value: string; hidden: boolean; displayOrder: number }[];
}

const BOOL_OPTIONS = [
  { label: 'Yes', value: 'true', hidden: false, displayOrder: 0 },
  { label: 'No', value: 'false', hidden: false, displayOrder: 1 },
];

function definition(name: string, kind: Kind, description: string): PropertyDefinition {
  const fieldType = ({ string: 'text', number: 'number', bool: 'booleancheckbox', datetime: 'date' } as const)[kind];
  const label = `Hearth: ${name.replace(/^hearth_/, '').replace(/_/g, ' ')}`;
  return { name, label, description, groupName: GROUP.name, type: kind, fieldType, ...(kind === 'bool' ? { options: BOOL_OPTIONS } : {}) };
}

/** Every property Hearth writes, as HubSpot's property create input. */
export const PROPERTIES: PropertyDefinition[] = [
  ...FIELDS.map(([field, kind, description]) => definition(propertyName(field), kind, description)),
  ...EXTRA.map(([name, kind, description]) => definition(name, kind, description)),
];

/** Properties Hearth sets to empty when it must withdraw its data from a contact it did not create. */
export const CLEARED = Object.fromEntries(PROPERTIES.map((p) => [p.name, '']));

const text = (value: unknown): string => (value === null || value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value));

/**
 * One contact's properties from a person's record (src/core/health/people.ts: their accounts'
 * records combined as the export combines them: counts add up, flags are true if any is,
 * first times are the earliest; the rest is the most recently active account's).
 */
export function contactProperties(email: string, record: MemberHealth): Record<string, string> {
  const properties: Record<string, string> = { email };
  for (const [field] of FIELDS) properties[propertyName(field)] = text(record[field]);
  properties.hearth_communities = [...new Set(record.accounts.map((a) => a.slice(0, a.indexOf('/'))))].sort().join(';');
  properties.hearth_member_ids = [...record.accounts].sort().join(';');
  return properties;
}
