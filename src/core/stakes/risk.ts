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
    r(`\\b(?:frustrat\\w*|annoy(?:ed|ing|s|ance)?|irritat(?:ed|ing)|fed up|sick (?:and tired )?of|tired of|so over (?:it|this)|ridiculous|unacceptable|absurd|waste of (?:time|money)|useless|pointless|hopeless(?:ly)? broken|still (?:not|waiting|broken|doesn'?t|don'?t|can'?t|no)|yet again|(?:how many|so many) times|every single time|for the (?:\\d+(?:st|nd|rd|th)|second|third|fourth|fifth|nth|hundredth|last) time|nothing works|never works|doesn'?t even work|keeps? (?:happening|breaking|crashing|failing)|ugh+|argh+|smh|facepalm|come on|give me a break|seriously\\??|again\\?+|why (?:is|does|do|can'?t|won'?t) (?:this|it|nobody|no one)\\b.*\\?{2,}|!{3,}|\\?{3,}|wtf|ffs|jfc)\\b`),
    r(`\\b(?:i (?:give up|quit)|can'?t believe (?:this|it|how|that)|what a joke|what(?:'?s| is) the point|this is a joke|no one (?:helps|answers|cares)|nobody (?:helps|answers|cares))\\b`),
  ],
  anger: [
    r(`\\b(?:angry|anger|furious|fuming|livid|enraged|rage|raging|pissed(?: off)?|mad at|outraged|infuriat\\w*|hate|hated|hates|hating|loathe|despise|disgust(?:ed|ing|s)?|gross|vile|revolting|sickening|f+u+c+k+\\w*|fck\\w*|fk|shit\\w*|bullshit|bs|damn\\w*|dammit|crap|crappy|bitch\\w*|bastard\\w*|asshole\\w*|dick|dickhead|screw (?:you|this|them|that)|go to hell|stfu|shut (?:the \\w+ )?up|stupid|idiot\\w*|moron\\w*|dumb\\w*|pathetic|garbage|trash|scum|clown|cunt|wanker|twat|prick|wtf|shameful|shame on|how dare|sucks?|worst)\\b`),
  ],
  distress: [
    ...STAKES_PATTERNS.distress,
    r(`\\b(?:scared|afraid|terrified|frightened|fear|fearful|anxious|anxiety|nervous|worried|worry|worrying|panic\\w*|depress(?:ed|ion|ing)|lonely|alone|isolated|crying|cried|tears|heartbroken|heartbreaking|devastat\\w*|grief|grieving|griev\\w*|mourn\\w*|passed away|died|dead|death|funeral|miss (?:him|her|them|my)|lost my (?:mom|mother|dad|father|son|daughter|wife|husband|brother|sister|friend|grandma|grandpa|dog|cat|job)|miserable|can'?t cope|overwhelmed|breaking down|broke down|sad|sadly|sadness|unhappy|hurts?|hurting|pain|painful|suffer\\w*|rip|condolences|sorry for your loss|tragic|tragedy|awful|horrible|terrible|dread\\w*|stress(?:ed|ful)?|upset|struggl\\w*|hopeless|helpless|desperate|shaking|trauma\\w*|nightmare|heartache|lost (?:him|her))\\b`),
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
