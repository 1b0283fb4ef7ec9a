import { describe, expect, it } from 'vitest';
import { recognizeSameHere, sameHereByRules } from '../../src/core/samehere/recognize';

/** Pure same-here replies: they validate and carry nothing else. */
const PURE_SAME_HERE = [
  'same here',
  'Same here!',
  'same',
  'Same.',
  'sameeee',
  'smae here',
  'same hear lol',
  'me too',
  'Me too!!',
  'me toooo',
  'me to',
  'metoo',
  'me 2',
  '+1',
  '+ 1',
  '+1000',
  '++',
  '+1 here',
  '+1 from me',
  '+1 on this',
  '👍',
  '👍🏽',
  '➕',
  '👍👍',
  '🙋‍♀️',
  ':+1:',
  ':heavy_plus_sign:',
  'same issue',
  'Same issue here.',
  'same isue',
  'same probelm here',
  'same error for me',
  'I have the same problem',
  'i have the same problem too',
  "I'm having the same issue",
  'im getting the same error',
  'Having the same issue since this morning',
  'happening to me as well',
  "it's happening to me too",
  'this is happening for us too',
  'also happening to me',
  'I have the same question',
  'same question here',
  'I was wondering the same thing',
  "I'd like to know too",
  "I'm also seeing this",
  'seeing this too',
  'getting this too :(',
  'yeah same',
  'ugh, same here 😭',
  'oh no, me too',
  '@sam same here',
  '<@U123> me too',
  '@everyone same here',
  'same for me',
  'same on my end',
  'Same boat here',
  "I'm in the same boat",
  'ditto',
  'can confirm',
  'Can confirm, same on my side',
  'me neither',
  'here too',
  'for me as well',
  'mine too',
  "not just you, it's broken for me too",
  'same here, any update?',
  'same issue, any fix yet?',
  'exact same problem',
  'The login page is broken here too',
  'lol same',
  // Spanish
  'a mí también',
  'yo también',
  'me pasa lo mismo',
  'tengo el mismo problema',
  'mismo problema aquí',
  'igual aquí',
  // French
  'moi aussi',
  'pareil pour moi',
  "j'ai le même problème",
  'même problème ici',
  'ça m’arrive aussi',
  'idem',
  // German
  'ich auch',
  'bei mir auch',
  'gleiches Problem hier',
  'ich habe das gleiche Problem',
  'geht mir genauso',
  // Portuguese
  'eu também',
  'comigo também',
  'mesmo problema aqui',
  'tenho o mesmo problema',
  'tá acontecendo comigo também',
  // Italian / Dutch
  'anche io',
  'ik ook',
];

/** Same-here AND new content: recorded as a same-here, kept as an answer / detail for other features. */
const SAME_HERE_WITH_CONTENT = [
  'same here, but I fixed it by clearing the cache',
  'Same issue here — downgrading to 2.3.1 fixed it for me',
  'same here! workaround: set NODE_OPTIONS to --max-old-space-size=4096',
  'me too, try restarting the worker, that did it for me',
  '+1, see https://github.com/example/repo/issues/42',
  'I have the same problem, happens only on Firefox with strict tracking protection enabled and only after logging in twice',
  'same here, does anyone know whether the new release changes this behaviour?',
  'Same here. `npm cache clean --force` worked',
  'yo también, lo solucioné reinstalando',
  // Sharing it and then the fix still counts (issue 19's guideline): the poster is not alone.
  'I had the same problem and the fix was to reinstall',
  'same thing happened to me, solved it by updating to 2.4',
];

/** Not same-here at all. */
const NOT_SAME_HERE = [
  '',
  '   ',
  'How do I reset my password?',
  'the same thing happened yesterday and the fix was to restart the worker',
  '+1 to what sam said about the docs',
  '+1 for dark mode',
  'Is this the same issue as #123?',
  'same issue as #123',
  'same here?',
  'Me too? What do you mean',
  'Sam here, new to the server 👋',
  'same time tomorrow?',
  'I have the same name as you lol',
  'same goes for the API docs',
  '👍 thanks, that worked',
  '+1 thanks!',
  '🎉',
  '👀',
  '😂😂',
  'thanks!',
  'Does anyone else have the same problem?',
  'Am I the only one seeing this?',
  'I agree with sam',
  'Not the same issue, mine is a different error',
  'This is not happening for me, works fine',
  'samesite cookies are confusing',
  'Same old story with the deploys',
  "it's the same as last week's release notes",
  'Use the same token you used for staging',
  'you too!',
  'Welcome, glad to have you here too',
  'I can help you with that',
  'hello everyone',
  'the build is broken again',
  'se me olvidó la contraseña',
  'est-ce que quelqu’un a une idée ?',
  'wie kann ich das Passwort ändern?',
  'alguém sabe resolver isso?',
  'merci !',
];

describe('recognizeSameHere: phrasings', () => {
  it('covers at least 40 positive and 40 negative phrasings', () => {
    expect(PURE_SAME_HERE.length + SAME_HERE_WITH_CONTENT.length).toBeGreaterThanOrEqual(40);
    expect(NOT_SAME_HERE.length + SAME_HERE_WITH_CONTENT.length).toBeGreaterThanOrEqual(40);
  });

  it.each(PURE_SAME_HERE)('pure same-here: %j', (text) => {
    const r = recognizeSameHere(text);
    expect(r, r.reason).toMatchObject({ sameHere: true, carriesContent: false });
    expect(r.strength).not.toBeNull();
    expect(r.phrase).toBeTruthy();
  });

  it.each(SAME_HERE_WITH_CONTENT)('same-here that carries content (also an answer): %j', (text) => {
    const r = recognizeSameHere(text);
    expect(r, r.reason).toMatchObject({ sameHere: true, carriesContent: true });
  });

  it.each(NOT_SAME_HERE)('not a same-here: %j', (text) => {
    const r = recognizeSameHere(text);
    expect(r.sameHere, r.reason).toBe(false);
  });

  it('the phrases alone do not read "I went to the same school" as a same-here (the learned model does: a known false positive, see models/PROVENANCE.md)', () => {
    expect(sameHereByRules('I went to the same school').sameHere).toBe(false);
  });
});

describe('recognizeSameHere: details', () => {
  it('tells strong phrases from bare tokens that need context', () => {
    expect(recognizeSameHere('I have the same problem').strength).toBe('strong');
    expect(recognizeSameHere('+1').strength).toBe('weak');
    expect(recognizeSameHere('👍').strength).toBe('weak');
    expect(recognizeSameHere('same').strength).toBe('weak');
  });

  it('names the language it recognised', () => {
    expect(recognizeSameHere('me pasa lo mismo').language).toBe('es');
    expect(recognizeSameHere('moi aussi').language).toBe('fr');
    expect(recognizeSameHere('bei mir auch').language).toBe('de');
    expect(recognizeSameHere('eu também').language).toBe('pt');
    expect(recognizeSameHere('➕').language).toBe('emoji');
  });

  it('an answer about a past problem is a same-here only when the author says they had it', () => {
    expect(recognizeSameHere('I had the same problem and the fix was to reinstall')).toMatchObject({ sameHere: true, carriesContent: true });
    expect(recognizeSameHere('the same thing happened yesterday and the fix was to restart the worker')).toMatchObject({ sameHere: false, carriesContent: true });
  });

  it('survives hostile and huge input', () => {
    const huge = 'same here '.repeat(50_000);
    const r = recognizeSameHere(huge);
    expect(r.sameHere).toBe(true);
    expect(r.carriesContent).toBe(true);
    for (const text of ['\u0000\u200b', '(((((((((((', '+'.repeat(10_000), '<@&123> <!everyone> @here', '🏳️‍🌈'.repeat(1000), 'ﬀ ℌ 𝔰𝔞𝔪𝔢']) {
      expect(() => recognizeSameHere(text)).not.toThrow();
    }
    expect(recognizeSameHere(undefined as unknown as string).sameHere).toBe(false);
  });
});

describe('sameHereByRules: later sentences, chat addresses and shared feelings', () => {
  it.each([
    'Thanks for the warning. I had the same problem.',
    'is your visa approved now? i also had same problem.',
    'Sorry, no idea.\nI have the same issue though',
    'sam: i have the exact same problem',
    'milen8204: ditto',
    'I know the feeling.',
    'I feel your pain brother.',
    'I feel you man',
    'I feel the same way!',
    'Can relate.',
    'Been there, done that.',
    'That happens to me all the time',
    'I have that problem myself sometimes.',
    'A lot of us are in the same boat.',
    "I'm also looking for the same thing",
    'i need help too',
    'Awesome, me too!',
    'Haha, same bro.',
    "I'm not the only one then",
    'That last panel tho. Same dude.',
    'I did too. A shame, it looked good.',
    "I'm the same.",
    'SO AM I',
    'That sucks. I had to deal with something similar.',
    "I've had a similar problem with my router",
    // Answers before the phrase: the author had it too, and says so.
    'Try clearing the cache. I had the same problem.',
    // Clauses the author opens after a pause or a conjunction.
    'I visited last summer and I have the same feeling as you',
    'Went to the office twice, we are in the same situation',
    // Idioms of sharing a state, a need or a question.
    "I'm kinda in this same boat as OP",
    'we have the same situation here',
    "it's the same question I have",
    'my same question.. any answer?',
    'I just logged on to post the same question',
    'It has happened to me multiple times',
    "I feel like that's happened to us many times!",
    'I have had this same bug once as well',
    'i did hav the same issue',
    'So I have a problem too',
    'I too have a 3 year old who does this',
    'i am also waiting for the answer now',
    'I was also confused',
    'i am looking for a group as well',
    'I cant sleep also',
    'i love going there too!',
    'I want to make friends too :(',
    'Our experience was much the same.',
    "you know, that's a problem with me too..",
    'She is so happy and so am I!!',
    "Same I'm sitting here wide awake",
    // Discourse words, vocatives and habits after a bare phrase; a clause run on after it.
    'lol same actually',
    'I feel you girl',
    'I do this every morning... lol',
    'i do that sometimes with my daughter',
    'ME TOO HE IS MY FAVOURITE CHARACTER',
    'Same except mine is the blue one',
    // Shared feelings, states, questions and things.
    'I feel this in my soul.',
    "You're fine, vent away. I'm the same way, don't worry.",
    'I wonder the same thing every winter',
    'I, too, thought it was a prank',
    'I think we have the same grinder. Love it!',
    'we got the same call yesterday, it was a scam',
    'Been there so many times. Hang in there.',
    "I'm worried about him too",
    'I can easily relate to that as well.',
    'This has definitely happened to me',
  ])('a same-here: %j', (text) => {
    const r = sameHereByRules(text);
    expect(r.sameHere, r.reason).toBe(true);
  });

  it.each([
    // Only explicit phrases open a later sentence: bare words there mean something else.
    'The update is out. Same time tomorrow?',
    'Works on linux. +1 for the new installer',
    'Thanks. Same time next week?',
    'I love you too',
    // A later sentence without I/we/me must end its clause to be a report.
    'Check the docs. The same thing applies to windows.',
    // "still the same" follows up a suggested fix: the author's own problem, not a shared one.
    'I reinstalled. I still have the same error.',
    'Nope, still the same error',
    // Relating to a thing, feeling the same about a thing, feeling that someone should.
    'I could relate to requiem for a dream more',
    'I feel the same on the new logo, it is too busy',
    'I feel you should ask the mods',
    // Time stamps are not addresses.
    '12:30 meeting moved',
    // Agreeing with an opinion, the same action, plans and abilities.
    'Same thing I thought haha',
    'VPD and the Mounties should do the same here.',
    'I was thinking the same thing',
    'I can do that well in windows too',
    "I'll try that too",
    'I can confirm they will be opening soon',
    'I have to go too',
    'I love you too',
    // Comparisons and contrasting outcomes; an opinion; an endorsement run on.
    'I have the same name as you',
    'I have the same driver and no problems',
    'Got the same phone but never had a problem with it',
    'I feel that we should wait for the release',
    '+1 i think we should ship it',
  ])('not a same-here: %j', (text) => {
    const r = sameHereByRules(text);
    expect(r.sameHere, r.reason).toBe(false);
  });
});
