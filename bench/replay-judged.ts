/**
 * A person's reading of each message the replay benchmark (bench/replay.ts) escalated: did it
 * need staff? Keyed by message id (`<log file>:<line>`, or `goemotions:<comment id>`). The
 * texts stay in the data set; only the verdict and a short reason live here. Read with the
 * judge's eyes, not tuned on: the recognisers' tests use lines written for them.
 */
export interface Judgement {
  needsStaff: boolean;
  note: string;
}

export const JUDGED: Record<string, Judgement> = {
  // Ubuntu IRC dev
  '2008-12-11_11:291': { needsStaff: true, note: 'asks for a troll to be kicked: a moderator action' },
  '2009-02-23_10:267': { needsStaff: true, note: 'the channel command that calls the ops about a user' },
  '2009-03-03_10:840': { needsStaff: false, note: '"wrong person": an apology, not a request (the model, passed by the team-word gate)' },
  '2009-10-01_17:376': { needsStaff: false, note: 'asks the community for help, not the team (the model)' },
  '2011-11-13_02:74': { needsStaff: true, note: 'a member hit now, asking whether the project servers are down: what outage reports are for' },
  '2011-11-13_02:93': { needsStaff: false, note: "a helper's guess at another member's errors; the same possible outage is already escalated" },
  // GoEmotions dev (Reddit comments, first 1,500)
  'goemotions:ed1zmlt': { needsStaff: false, note: 'a past panic attack, coped with' },
  'goemotions:efb8bfh': { needsStaff: false, note: 'harassment of others, hypothetical' },
  'goemotions:eeddy3z': { needsStaff: true, note: 'crisis wording, taken at its word' },
  'goemotions:eehsaak': { needsStaff: false, note: 'politics: harassment in the news' },
  'goemotions:eezmwt2': { needsStaff: false, note: 'a video game ("harassed in the early game")' },
  'goemotions:ed4hw30': { needsStaff: false, note: 'a power outage in a hurricane, not a service' },
  'goemotions:ed7ev0x': { needsStaff: false, note: 'hyperbole at another commenter' },
  'goemotions:ee1vmsz': { needsStaff: false, note: 'a joke about smart fridges' },
  'goemotions:ee69wxk': { needsStaff: false, note: 'incident from unrelated comments read as "same here" (the same-here model)' },
  'goemotions:edbq7pd': { needsStaff: false, note: 'incident from unrelated comments read as "same here" (the same-here model)' },
  'goemotions:eexx4c7': { needsStaff: false, note: 'incident from unrelated comments read as "same here" (the same-here model)' },
  'goemotions:edboeho': { needsStaff: false, note: 'incident from unrelated comments read as "same here" (the same-here model)' },
};
