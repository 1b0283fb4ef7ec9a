/**
 * Risk flags for human judgement (the classify CLI, moderator views): frustration, anger,
 * distress, conflict. Lexical and deterministic; a flag is a hint for a person to look,
 * never a verdict and never a reason for automated action. Tuned on GoEmotions train, scored
 * on its dev split (see bench/stakes/README.md).
 */
import { STAKES_PATTERNS } from './classes';
import { normalizeForMatching } from './text';

export const RISK_FLAGS = ['frustration', 'anger', 'distress', 'conflict'] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

const r = (source: string) => new RegExp(source, 'i');

const PATTERNS: Record<RiskFlag, RegExp[]> = {
  frustration: [
    r(`\\b(?:frustrat\\w*|annoy(?:ed|ing|s|ance)?|irritat(?:ed|ing)|fed up|sick (?:and tired )?of|tired of|so over (?:it|this)|ridiculous|unacceptable|absurd|waste of (?:time|money)|useless|pointless|stupid|idiot\\w*|dumb|pissed(?: off)?|bullshit|sucks|still (?:not working|broken|waiting|doesn'?t work|down|no (?:answer|reply|response))|yet again|(?:how many|so many) times|every single time|for the (?:\\d+(?:st|nd|rd|th)|second|third|fourth|fifth|nth|hundredth) time|nothing works|never works|doesn'?t even work|keeps? (?:happening|breaking|crashing|failing)|argh+|facepalm|give me a break|ffs|jfc)\\b`),
    r(`\\b(?:i (?:give up|quit)|can'?t believe (?:this|it|how|that)|what a joke|what(?:'?s| is) the point|this is a joke|no one (?:helps|answers|cares)|nobody (?:helps|answers|cares))\\b`),
  ],
  anger: [
    r(`\\b(?:angry|anger|furious|fuming|livid|enraged|outraged|infuriat\\w*|hate|hated|hates|hating|loathe|despise|disgust(?:ed|ing|s)?|vile|revolting|sickening|awful|f+u+c+k+\\w*|fck\\w*|bitch\\w*|bastard\\w*|asshole\\w*|dickhead|screw (?:you|this|them|that)|go to hell|stfu|shut (?:the \\w+ )?up|moron\\w*|pathetic|cunt|wanker|twat|prick|wtf|shame on|how dare|worst)\\b`),
  ],
  distress: [
    ...STAKES_PATTERNS.distress,
    r(`\\b(?:scared|afraid|terrified|frightened|fear|fearful|anxious|anxiety|nervous|worried|panic\\w*|depress(?:ed|ion|ing)|lonely|isolated|crying|cried|tears|heartbroken|heartbreaking|devastat\\w*|grief|grieving|mourn\\w*|passed away|died|funeral|lost my (?:mom|mother|dad|father|son|daughter|wife|husband|brother|sister|friend|grandma|grandpa|dog|cat|job)|miserable|can'?t cope|overwhelmed|breaking down|broke down|sad|sadly|sadness|hurts|hurting|painful|suffer(?:ing)?|condolences|sorry for your loss|horrible|terrible|dread(?:ing)?|stressed|struggling to|hopeless|helpless|trauma\\w*|heartache)\\b`),
  ],
  conflict: [
    r(`\\b(?:you(?:'re| are| r) (?:an? |such an? |so |being )?(?:idiot|stupid|wrong|liar|lying|troll|trolling|joke|clown|moron|dumb|pathetic|ignorant|delusional|toxic|rude|disgusting|insane|crazy|the problem)|shut up|stfu|nobody asked|no one asked|get lost|screw you|f\\w*k (?:you|off)|go away|stop (?:lying|trolling|being)|how dare you|you people|you always|you never|blocked you|reported you|reporting you|you started it|back off|mind your own|learn to read|did you even read|what is wrong with you|what'?s wrong with you|grow up|cry more|cope|ratio|l \\+ ratio|take that back|say that again|fight me|calm down)\\b`),
  ],
};

/** Shouting: at least three all-caps words of three or more letters. */
function shouting(original: string): boolean {
  const caps = original.slice(0, 4000).match(/\b[A-Z]{3,}\b/g) ?? [];
  const words = original.slice(0, 4000).match(/\b[A-Za-z]{3,}\b/g) ?? [];
  return caps.length >= 3 && caps.length / Math.max(1, words.length) >= 0.6;
}

export function riskFlags(text: string): RiskFlag[] {
  const normalized = normalizeForMatching(text ?? '');
  if (!normalized) return [];
  return RISK_FLAGS.filter(
    (flag) => PATTERNS[flag].some((p) => p.test(normalized)) || (flag === 'anger' && shouting(text)),
  );
}
