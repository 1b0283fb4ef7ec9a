/**
 * `hearth identity`: say which accounts are one person across the communities of this
 * database (src/core/identity), for the CRM export and webhooks. Accounts with the same email
 * are one person already; Discord gives no email, so its accounts are linked by the member
 * (`/link`, commands/link.ts) or here, by an operator acting on what a member asked or a
 * moderator checked. Never on a display name.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { systemClock } from '../../core/clock';
import { IdentityService, isExportablePerson, parseAccount, people } from '../../core/identity';
import { openDatabase } from '../../db/connection';
import { createRepositories } from '../../db/repositories';
import type { CliIo } from '../io';

export const description = 'One person across communities (CRM): identity link ACCOUNT ACCOUNT | unlink ACCOUNT | list';

const USAGE =
  'Usage: npm run -s hearth -- identity link <community>/<member> <community>/<member> [--db FILE]\n' +
  '       npm run -s hearth -- identity unlink <community>/<member> [--db FILE]\n' +
  '       npm run -s hearth -- identity list [--db FILE]\n' +
  '  link    the two accounts are one person (e.g. slack:T0123/U0456 discord:81234/99887766)\n' +
  '  unlink  undo the links of an account (refused while an account of its person is opted out or forgotten: the links keep the person withheld)\n' +
  '  list    every person with more than one account, as JSON lines (ids only; people withheld for privacy are left out)\n' +
  '  --db    the database file (default: HEARTH_DB_PATH, ./data/hearth.db)';

export async function run(args: string[], io: CliIo): Promise<number> {
  const usage = (problem: string) => (io.err(`identity: ${problem}\n${USAGE}`), 2);
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    return usage((error as Error).message);
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  const [action, ...rest] = parsed.positionals;
  const wanted = { link: 2, unlink: 1, list: 0 }[action as string];
  if (wanted === undefined) return usage(action ? `unknown action "${action}"` : 'an action is missing: link, unlink or list');
  if (rest.length !== wanted) return usage(`${action} takes ${wanted} account${wanted === 1 ? '' : 's'}`);
  const accounts = rest.map(parseAccount);
  const bad = rest.find((_, i) => !accounts[i]);
  if (bad !== undefined) return usage(`"${bad}" is not <community>/<member>`);

  const file = parsed.values.db ?? loadConfig().HEARTH_DB_PATH;
  if (!existsSync(file)) {
    io.err(`identity: no database at ${file} (give --db FILE or set HEARTH_DB_PATH)`);
    return 1;
  }
  const database = openDatabase(file);
  try {
    const repos = createRepositories(database);
    const identity = new IdentityService({ repos, clock: { now: io.now ?? systemClock.now } });
    if (action === 'link') {
      const [a, b] = accounts as NonNullable<(typeof accounts)[number]>[];
      for (const account of [a, b]) {
        if (!(await repos.members.get(account.communityId, account.memberId))) {
          io.err(`identity: no member ${account.communityId}/${account.memberId} in ${file}`);
          return 1;
        }
      }
      const linked = await identity.link(a, b, 'moderator');
      io.out(linked ? 'linked' : 'already linked');
      return 0;
    }
    if (action === 'unlink') {
      const removed = await identity.unlink(accounts[0]!);
      if (removed === undefined) {
        io.err('identity: an account of that person opted out or was forgotten: the links stay, so nothing about the person leaves Hearth');
        return 1;
      }
      io.out(`removed ${removed} link${removed === 1 ? '' : 's'}`);
      return 0;
    }
    for (const person of await people(repos)) {
      if (person.accounts.length < 2 || !isExportablePerson(person)) continue;
      io.out(JSON.stringify({ personId: person.id, accounts: person.accounts.map((m) => `${m.communityId}/${m.id}`) }));
    }
    return 0;
  } finally {
    database.close();
  }
}
