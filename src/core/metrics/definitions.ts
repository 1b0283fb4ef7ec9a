/**
 * One-line definitions of the pulse's figures, for readers who meet a number without
 * docs/metrics.md at hand (the dashboard shows them beside every figure). They summarise
 * that page and the code in ./index.ts; change all three together.
 */
export const FIGURE_DEFINITIONS = {
  welcomeRatio:
    'Newcomers (members whose join falls in the window) greeted by a human within 24 hours of first appearing, divided by newcomers. A greeting up to 24 hours after the window ends still counts.',
  newcomerReturn: 'Of newcomers who posted, the share who posted again between 1 hour and 7 days after their first post (the return may fall after the window).',
  firstResponse:
    'For each answered question (a human message that starts a conversation and asks something), the time to the first later message by someone else, not a bot, that replies to it, sits in its thread or belongs to its discussion. p50 is the median; p90: 9 in 10 were answered faster. Reactions do not count.',
  unanswered: 'Questions in the window with no human response by the end of the window (count, and share of all questions). A typed request for a human counts under requests instead.',
  claim: 'Requests for a human created in the window: time from the request to a moderator claiming it (claimed before the window end), p50 and p90.',
  sameHereIncidents: 'Requests for a human opened because enough members said "same here" about one problem in a short time (way in: incident).',
  helperLoad: "The top helper's share of all helps in the window (a help: a substantive reply by someone else to a question). A high share means one person carries the community.",
  absenceFactor: 'The fewest helpers whose helps together make at least half of all helps: 1 means one person carries half.',
  toThank: 'Helpers and reframers in the window who received no thanks in it: helpers first (most helps first), then reframers.',
  waitingForHuman: 'Open (unclaimed) requests for a human, oldest first, with how long they have waited. Requests of members with analytics off are counted but never named.',
  unansweredNewcomers: 'Newcomers whose first post got no human response in the window.',
  helpersAtRisk:
    'Helpers with at least 3 helps in the window who carry 40% or more of all helps, or 30% or more and 1.5 times their previous share, or give half or more of their help in off-hours (local time).',
  wentQuiet: 'Regulars who went quiet: at least 5 messages in the 28 days before the last 28, and none in the last 28.',
  mentorship: 'A mentorship link: B, earlier helped by A, helps someone else. A chain: each member helped the next, each help after the previous one.',
  sameHere: 'Distinct members who said "same here" about a message (a reply, a reaction, the message action or the command); each member counts once per message.',
  resolvedByMember:
    'Questions of the window whose thread was resolved (an accepted or thanked answer, the asker saying it worked, a moderator marking it solved) with the credited answer by a member (not staff, not the asker alone), divided by questions.',
  timeToResolve: 'Median time from a question to its resolution, over the questions of the window that were resolved.',
  unresolvedOverAWeek: 'Questions asked at least 7 days before the window ends (up to 28 days back) with no resolution by then.',
  reframes:
    'Distinct messages in which a third member reframed a heated exchange (named what both sides want, separated the disagreement from the people, asked the question that moves it on, proposed a test) and the exchange then cooled.',
  translations: 'Members helped across languages: a volunteer translator asked with "Ask a member" answered in the thread (translated_for signals in the window).',
} as const;

export type FigureKey = keyof typeof FIGURE_DEFINITIONS;
