/**
 * Slack names its emoji (`heavy_plus_sign`); the core and its settings use the Unicode
 * character (`➕`). A small table covers the reactions features care about; any other name
 * passes through as the platform's name, which the core accepts too.
 */
const NAMES: Record<string, string> = {
  heavy_plus_sign: '➕',
  '+1': '👍',
  thumbsup: '👍',
  '-1': '👎',
  thumbsdown: '👎',
  heart: '❤️',
  tada: '🎉',
  eyes: '👀',
  white_check_mark: '✅',
  raised_hands: '🙌',
  pray: '🙏',
  wave: '👋',
  raising_hand: '🙋',
  point_up: '☝️',
};

/** Variation selectors differ between keyboards (`❤` vs `❤️`): compare without them. */
const bare = (s: string) => s.replace(/\uFE0F/g, '');
const BY_CHARACTER = new Map(Object.entries(NAMES).reverse().map(([name, char]) => [bare(char), name]));

/** `heavy_plus_sign` -> `➕`; `thumbsup::skin-tone-3` -> `👍`; unknown names unchanged. */
export function emojiFromSlack(name: string): string {
  const base = name.replace(/::skin-tone-\d$/, '');
  return Object.hasOwn(NAMES, base) ? NAMES[base] : base;
}

/** `➕` -> `heavy_plus_sign`; `:tada:` -> `tada`; unknown names unchanged. */
export function slackEmojiName(emoji: string): string {
  const trimmed = emoji.trim().replace(/^:|:$/g, '');
  return BY_CHARACTER.get(bare(trimmed)) ?? trimmed;
}
