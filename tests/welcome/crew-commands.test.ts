/**
 * `/welcomer` and `/translator`, the two crew commands, as members see them: their options,
 * a bot turned away, an unknown state answered with the usage, and nothing stored for either.
 */
import { describe, expect, it } from 'vitest';
import translator from '../../commands/translator';
import welcomer from '../../commands/welcomer';
import { harness } from '../helpers/harness';

describe('crew commands', () => {
  it('take a state (on / off / empty) first, for everyone, answered only to the member', () => {
    expect(welcomer).toMatchObject({ access: 'everyone', ephemeral: true });
    expect(welcomer.options).toEqual([{ name: 'state', type: 'string', description: 'on to join the crew, off to step back (empty: show)', choices: ['on', 'off'] }]);
    expect(translator).toMatchObject({ access: 'everyone', ephemeral: true });
    expect(translator.options).toEqual([
      { name: 'state', type: 'string', description: 'on to volunteer, off to step back (empty: show)', choices: ['on', 'off'] },
      { name: 'languages', type: 'string', description: 'With on: the languages you speak, e.g. Portuguese, Spanish' },
    ]);
  });

  it('turn bots away and store nothing', async () => {
    const t = harness();
    t.bots.add('robo');
    expect(await t.command('robo', 'welcomer', { state: 'on' })).toEqual({ visibility: 'ephemeral', text: 'The welcome crew is for people.' });
    expect(await t.command('robo', 'translator', { state: 'on', languages: 'Spanish' })).toEqual({ visibility: 'ephemeral', text: 'Translators are people.' });
    const robo = await t.repos.members.get(t.community, 'robo');
    expect(robo?.welcomer ?? false).toBe(false);
    expect(robo?.translatorLanguages ?? null).toBeNull();
  });

  it('answer an unknown state with the usage, quoted, and store nothing', async () => {
    const t = harness();
    expect(await t.command('sam', 'welcomer', { state: ' Maybe ' })).toEqual({ visibility: 'ephemeral', text: 'Use `/welcomer on` or `/welcomer off` (got "maybe").' });
    expect(await t.command('sam', 'translator', { state: 'yes', languages: 'Spanish' })).toEqual({
      visibility: 'ephemeral',
      text: 'Use `/translator on <languages>` or `/translator off` (got "yes").',
    });
    const sam = await t.repos.members.get(t.community, 'sam');
    expect(sam?.welcomer ?? false).toBe(false);
    expect(sam?.translatorLanguages ?? null).toBeNull();
  });
});
