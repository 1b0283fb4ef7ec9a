/**
 * A golden record of what the four recognisers decide (rules and model together, rules alone,
 * and the details their callers read) on a few thousand varied lines generated here from a
 * fixed seed: short chat, questions, replies with a parent, long paragraphs, accents and other
 * scripts, emoji, numbers and money, markup, shouting, and hostile huge input. Speed work must
 * leave every line of the record unchanged; a deliberate change of behaviour rewrites it
 * (`npx vitest run -u tests/models/equivalence.test.ts`) and shows up in review.
 */
import { describe, expect, it } from 'vitest';
import { modelScore } from '../../src/core/models';
import { recognisersDecide, rulesAloneDecide } from '../../src/core/models/decisions';
import { lexicalRiskFlags, distressLexiconTags } from '../../src/core/risk/lexicon';
import { recognizeSameHere, sameHereByRules, sameHereRuleTags } from '../../src/core/samehere/recognize';
import { classifyStakes, riskFlags } from '../../src/core/stakes';
import { RECOGNISERS } from '../../src/core/models/weights';
import { rng } from '../../bench/data';

/** mulberry32: a small deterministic generator. */
const random = rng;

const OPENERS = ['', '', '', 'yeah ', 'ugh, ', '@sam ', 'sam: ', 'hi all, ', 'lol ', 'hey <@123456789> ', 'so ', 'ok ', 'oh no ', 'Hi! ', 'hmm ', 'nick| '];
const CHAT = [
  'how do i install grub on a second disk',
  'anyone know why apt is broken',
  'try sudo apt update && sudo apt upgrade',
  'thanks, that worked',
  'same here',
  'me too',
  '+1',
  'same',
  'same time tomorrow?',
  'my wifi is also dead',
  'i have the exact same problem',
  'happening to me too',
  'mine too',
  'it works now',
  'did you reboot',
  'check the logs in /var/log/syslog',
  'the update broke my sound',
  'what version are you on',
  'the server is down for everyone',
  'nobody is answering',
  'this is ridiculous',
  'still broken after the reboot',
  'read the wiki',
  'good morning everyone',
  'i think its the kernel',
  'you need to enable universe',
  '+1 to what sam said',
  'same issue as #123',
  'please add me too',
  'wondering the same thing',
  'not just you',
  'yo tambien',
  'moi aussi',
  'bei mir auch',
  'eu tambem',
];
const STAKES = [
  'i was charged twice for my subscription',
  "there's a charge on my statement i don't recognise",
  'my card was stolen',
  'someone used my account without my permission',
  "my refund still hasn't arrived",
  'the atm only gave me half the cash',
  'i lost all my files after the update',
  'my data is gone',
  'i want to kill myself',
  'i feel so hopeless',
  "i'll sue you",
  'my lawyer will contact you',
  'stop harassing me',
  'he keeps messaging me',
  'i was scammed, is this a phishing link?',
  'can i talk to a human',
  'is there a real person here?',
  "i don't need a human, just tell me how",
  'get me a mod',
  'is there an admin around?',
  'not a bot, a person please',
  'can somebody kick this spammer?',
  'real person please',
  'i want to speak to someone from the team',
  'hablar con una persona',
  'je veux parler a un humain',
  'where is my money',
  'i paid $45.99 and got nothing',
  'transfer not received',
  'my balance is wrong',
  'i lost my phone',
  'the bill is wrong',
  'someone knows my password',
  'i want to dispute a transaction',
  'my friend is suicidal',
  'suicide squad was a bad movie',
  'i have suicidal tendencies',
  'suicidal thoughts again',
  'there is an outage',
  'if there is an outage',
  'planned downtime tonight',
  'shut the server down',
  'the site is down',
  'people are using my card',
  'lots of people are using it',
];
const FEELINGS = [
  'scared',
  'so anxious about tomorrow',
  'wtf',
  'shut up',
  "you're an idiot",
  'lol',
  '😂',
  'i am not ok',
  'nobody cares',
  'i give up',
  'fed up with this',
  'I HATE THIS STUPID THING SO MUCH',
  'sad',
  'my dog passed away',
  'ffs',
  'ugh!!!',
  "can't cope anymore",
  'this sucks',
];
const UNICODE = ['café', 'naïve', 'Привет всем', '日本語のテキスト', 'مرحبا', 'e\u0301', 'zero\u200bwidth', 'ﬁle', 'ＦＵＬＬＷＩＤＴＨ', 'it’s', '“quoted”', 'señor', 'Straße', 'ça marche pas', '🙋🏽‍♀️', '👍', '➕', '🔥', ':+1:', ':thumbsup:', '<:custom:12345>', '<#98765|general>', '\u{1F600}'];
const NUMBERS = ['$45.99', '£20', '€ 3,50', '3 times', '12345', 'v2.0.1', '2fa', '10:45', '0.5', '1st', '100%'];
const MARKUP = ['https://example.com/foo?bar=1', 'www.example.org', '`sudo apt`', '```\ncode block\n```', '<https://x.y|link>', '> quoted line'];
const SEPARATORS = [' ', ' ', ', ', '. ', '? ', '! ', '\n', ' - ', '... ', ' :) '];

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

function fragment(rnd: () => number): string {
  const r = rnd();
  if (r < 0.4) return pick(rnd, CHAT);
  if (r < 0.65) return pick(rnd, STAKES);
  if (r < 0.8) return pick(rnd, FEELINGS);
  if (r < 0.9) return pick(rnd, UNICODE);
  if (r < 0.96) return pick(rnd, NUMBERS);
  return pick(rnd, MARKUP);
}

function sentence(rnd: () => number, parts: number): string {
  let s = pick(rnd, OPENERS);
  for (let i = 0; i < parts; i++) s += (i ? pick(rnd, SEPARATORS) : '') + fragment(rnd);
  return s;
}

const HOSTILE = [
  '',
  ' ',
  '\n\n\n',
  'a'.repeat(50_000),
  'same '.repeat(20_000),
  'kill myself '.repeat(5_000),
  '$'.repeat(30_000),
  '😂'.repeat(10_000),
  '"'.repeat(9_000) + 'my card was stolen',
  "'a' ".repeat(8_000),
  'talk to '.repeat(6_000) + 'a human',
  'i was charged twice '.repeat(3_000),
  'e\u0301'.repeat(20_000),
  '(((('.repeat(5_000),
  'refund '.repeat(10_000) + 'missing',
  ('lorem ipsum dolor sit amet '.repeat(400) + 'i want to die').slice(0, 12_000),
];

/** The fixed lines: text and, for some, the message they answer. */
function lines(): { text: string; parent: string | null }[] {
  const rnd = random(19);
  const out: { text: string; parent: string | null }[] = HOSTILE.map((text) => ({ text, parent: null }));
  for (let i = 0; i < 3000; i++) {
    const kind = rnd();
    let text: string;
    if (kind < 0.45) text = sentence(rnd, 1); // short chat
    else if (kind < 0.65) text = `${sentence(rnd, 1 + Math.floor(rnd() * 2))}?`; // questions
    else if (kind < 0.85) text = sentence(rnd, 2 + Math.floor(rnd() * 4));
    else if (kind < 0.97) text = sentence(rnd, 10 + Math.floor(rnd() * 40)); // long paragraphs
    else text = sentence(rnd, 1).toUpperCase();
    const parent = rnd() < 0.3 ? sentence(rnd, 1 + Math.floor(rnd() * 3)) : null;
    out.push({ text, parent });
  }
  return out;
}

const round = (x: number) => Math.round(x * 1e9) / 1e9;
const bit = (b: boolean) => (b ? '1' : '0');

/** Everything the recognisers' callers read about one line, as one line of the record. */
function record(text: string, parent: string | null): string {
  const decided = RECOGNISERS.map((name) => bit(recognisersDecide[name](text, null, parent))).join('');
  const rules = RECOGNISERS.map((name) => bit(name === 'money' ? rulesAloneDecide.money(text) : rulesAloneDecide[name](text, parent))).join('');
  const loose = RECOGNISERS.map((name) => bit(recognisersDecide[name](text, 0.2, parent))).join('');
  const same = recognizeSameHere(text, { parent });
  const scores = [
    modelScore('sameHere', text, parent, sameHereRuleTags(sameHereByRules(text))),
    modelScore('wantsHuman', text),
    modelScore('money', text),
    modelScore('distress', text, null, distressLexiconTags(text)),
  ].map(round);
  const lexical = lexicalRiskFlags(text).map((f) => `${f.category}:${f.strength}:${f.terms.join('+')}:${f.evidence.length}`);
  return [
    decided,
    rules,
    loose,
    `${bit(same.carriesContent)}${same.strength ?? '-'}/${same.language ?? '-'}/${same.phrase ?? '-'}/${same.reason}`,
    classifyStakes(text).categories.join(','),
    riskFlags(text).join(','),
    lexical.join(';'),
    scores.join(','),
  ].join(' | ');
}

describe('the recognisers on fixed lines', () => {
  it('decide exactly as recorded', async () => {
    const rows = lines().map(({ text, parent }, i) => `${i} | ${record(text, parent)}`);
    await expect(rows.join('\n') + '\n').toMatchFileSnapshot('./__snapshots__/equivalence.txt');
  });
});
