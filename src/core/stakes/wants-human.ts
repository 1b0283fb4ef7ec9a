/**
 * Typed requests for a person: "can I talk to a human", "is there a real person here",
 * "get me a mod", "someone from the team please", with common typos and a few languages.
 * Deliberately conservative: talking *about* humans ("humans are weird") is not a request.
 */
import { modelSays } from '../models';
import { lazyPrefilter } from '../text/required-literals';
import { normalizeForMatching } from './text';

const HUMAN =
  "(?:a |an |some |any |to a |the |actual |real |live )*(?:real |actual |live |human )?(?:human|humans|huamn|humna|hooman|hoomans|humain|person|peson|perosn|somebody|someone|some one|sombody|somone|anyone|anybody|mod|mods|moderator|moderators|moderater|modertor|admin|admins|administrator|staff|staff member|team member|agent|representative|rep|support (?:person|agent|staff|team)|human being)";
/** Staff as members name them when asking whether any are around. */
const STAFF = '(?:mods?|moderators?|admins?|administrators?|ops?|operators?|(?:support )?staff|support (?:people|persons?|team|agents?))';
const FROM_TEAM = '(?:from|on|of|in) (?:the |your )?(?:team|staff|support|mods|moderation|moderators|admins|company)';

const PATTERNS: RegExp[] = [
  // talk / speak / chat with a human (typos: tlak, speek)
  new RegExp(`\\b(?:talk|tlak|talke|speak|speek|spaek|chat|get in touch|be put through|be connected|connect me|put me through|transfer me|escalate (?:this|me|it)?) ?(?:to|with|w/?) ${HUMAN}\\b`),
  // can I get / have / need / want a human
  new RegExp(`\\b(?:can|could|may|pls|please|i'?d like to|i would like to|i want to|i need to|i wanna|want to|need to) (?:i |we )?(?:get|have|see|reach|contact|ask|message|dm|ping)? ?(?:a |an |some |to )?(?:real |actual |live )?(?:human|huamn|hooman|person|mod|moderator|admin|staff member|team member|agent|representative)\\b`),
  new RegExp(`\\b(?:i|we) (?:want|need|would like|wanna|demand|request|require|must speak to) (?:a |an |to (?:talk|speak) to (?:a |an )?)?(?:real |actual |live )?(?:human|huamn|hooman|person|mod|moderator|admin|agent|representative)\\b`),
  new RegExp(`\\b(?:get|fetch|bring|send|find) (?:me |us )?(?:a |an |some )?(?:real |actual |live )?(?:human|huamn|hooman|person|mod|moderator|admin|agent)\\b`),
  // is there a human / anyone from the team here?
  new RegExp(`\\b(?:is|are) (?:there |anyone |anybody )?(?:a |an |any )?(?:real |actual |live )?(?:human|humans|person|people|mods?|moderators?|admins?|staff) (?:${FROM_TEAM} )?(?:here|around|online|available|awake|on|reading this)\\b`),
  new RegExp(`\\b(?:someone|somebody|anyone|anybody|a person|a human) ${FROM_TEAM}\\b`),
  // "is there an admin?", "any ops around?", "is some support staff around?" (IRC calls them ops)
  new RegExp(`\\b(?:is|are) there (?:a|an|any|some) ${STAFF}(?: (?:here|around|online|available|awake|on))?[?!. ]*$`),
  new RegExp(`\\b(?:(?:is|are) (?:there )?(?:a |an |any |some )?|any )${STAFF} (?:here|around|online|available|awake|on)\\b`),
  // asking for a moderator's action: "can somebody kick this spammer?"
  /\b(?:can|could|will|would) (?:some ?one|somebody|any ?one|anybody|an? (?:mod|moderator|op|admin)) (?:please )?(?:kick|ban|mute)\b/,
  // "real person please", "any real people here?", "need a real human"; not "a real person told me"
  new RegExp(`^(?:(?:hi|hello|hey|um+|so)[,!]? )?(?:a |an |any |some )?(?:real|actual|live) (?:humans?|persons?|people|agents?)(?: (?:please|pls|plz|now|asap|here|around|available|online))*[!?. ]*$`),
  new RegExp(`\\b(?:real|actual|live) (?:humans?|persons?|people|agents?) (?:please|pls|plz|asap)\\b|\\b(?:any|a) (?:real|actual|live) (?:humans?|persons?|people) (?:here|around|online|available)\\b|\\b(?:need|want) (?:a |an |to (?:talk|speak) to (?:a |an )?)?(?:real|actual|live) (?:human|person|agent)\\b`),
  new RegExp(`\\b(?:human|person|mod|moderator|admin) (?:please|pls|plz|pleas|asap|now)\\b|\\b(?:need|want) (?:a )?human\\b|^(?:human|humans|agent|operator|representative)[!?. ]*$`),
  new RegExp(`\\b(?:not|no more|stop talking to|done with|tired of) (?:a |the |this |talking to (?:a |the )?)?bot\\b.{0,40}\\b(?:human|person|someone|somebody|mod|staff)\\b`),
  new RegExp(`\\b(?:ping|pinging|call|calling|paging|summon|summoning) (?:a |an |the |any |all )?(?:mods?|moderators?|admins?|staff|team|humans?)\\b|@(?:mods?|moderators?|admins?|staff)\\b|\\bcan (?:a|any|some) (?:mod|moderator|admin|staff member|human|person) (?:help|look|check|assist)\\b`),
  // Addressing the moderators with a request: "mods please ban him", "admins, can you look at this"
  new RegExp(`(?:^|[.!?] )(?:@|hey |hi |dear )?(?:mods?|moderators?|admins?|ops|staff)\\b[,!:]? (?:please|pls|plz|can you|could you|would you|help|ban|kick|remove|delete|look|check)\\b`),
  // Spanish, French, German, Portuguese, Italian
  /\b(?:hablar|charlar|comunicarme|contactar) con (?:una persona|un humano|alguien|un moderador|un agente|una persona real|un ser humano|el equipo)\b|\bquiero (?:una persona|un humano)\b/,
  /\b(?:parler|discuter) (?:a|avec) (?:un humain|une personne|quelqu'un|un moderateur|un agent|une vraie personne|l'equipe)\b|\bje veux (?:un humain|une personne)\b/,
  /\bmit (?:einem menschen|einer person|jemandem|einem moderator|einem mitarbeiter|einem echten menschen) (?:sprechen|reden|chatten)\b|\b(?:echten menschen|einen menschen) (?:bitte|sprechen)\b/,
  /\bfalar com (?:um humano|uma pessoa|alguem|um moderador|um atendente|uma pessoa real|a equipe)\b/,
  /\bparlare con (?:un umano|una persona|qualcuno|un moderatore|un operatore)\b/,
];

/**
 * Someone who could be from the team, or contacting someone: the model may only find a request
 * in a message that names one ("talk to someone", "an assistant", "not a bot"). "nope" or "can
 * anybody help with grub?" asks nobody or the community, and paging the moderators (with
 * re-pings) for it is noise however sure a model is.
 */
const NAMES_THE_TEAM =
  /\b(?:human|humans|huamn|hooman|humain|person|persons|people|peson|perosn|mods?|moderat\w*|admins?|administrators?|ops?|operators?|staff|team|support|agents?|representatives?|reps?|manager|supervisor|employees?|(?:some ?one|somebody) (?:who|that) works|persona|humano|personne|mensch\w*|pessoa|umano|moderador|equipo|equipe|mitarbeiter\w*|atendente|operatore|assistants?|customer (?:service|care|support)|live chat|bot|bots|(?:talk\w*|tlak|speak\w*|chat\w*|chay|contact\w*|reach\w*|get in touch|connect\w*|put (?:me )?through|transfer\w*|call\w*)(?: to| with| wth| w\/?)? (?:a |an |some |to )?(?:some ?one|somebody|sombody|somneone|anyone|any one|anybody|assistant|real one))\b/;

/**
 * Words of the team's vocabulary that name no one: permissions ("he doesn't have admin", "admin
 * rights", "run it as admin"), places ("the support channel") and pointing at someone else ("ogra
 * is the person to ask", "sorry, wrong person"). The model's request must name someone else.
 */
const NOT_SOMEONE =
  /\badmin (?:rights|access|privileges?|permissions?|panel|password|account|mode|console|page|user|tools?)\b|\b(?:have|has|had|without|no|give|gives|gave|get|got|as|with) (?:admin|root|sudo)\b|\bsupport (?:channel|forum|room|page|site|group|thread|article|docs?|chat)\b|\b(?:is|was|are|were) the (?:right |wrong |best |only )?(?:person|people|guy|one|man|woman) (?:to|for|who|that)\b|\bwrong (?:person|people|guy|nick|window|channel)\b/g;

/** Not wanting a bot is wanting a person: read before negated clauses are dropped. */
const NOT_A_BOT = /\b(?:don'?t|do not|dont|no longer) (?:want to|wanna|wish to) (?:talk|speak|chat|deal) (?:to|with) (?:a |the |this |your |some )?(?:bot|robot|machine|ai|chatbot)\b/;

/** Questions *about* humans or bots that are not requests for one. */
const NOT_A_REQUEST = [
  // Being, or being made by, a person: "I'm a real person, not a bot", "written by a real person".
  /\b(?:i'?m|i am|we'?re|you'?re|he'?s|she'?s|they'?re|it'?s|(?:i|we|you|he|she|it|they|this|that) (?:am|are|is|was|were)) (?:a |an |just |only |still )*(?:real|actual|living|normal) (?:person|human|people|humans|human being)\b/,
  /\b(?:written|made|drawn|created|done|painted|typed|said|built) by (?:a |an |some )?(?:real |actual )?(?:person|human|people|humans|human being)\b/,
  /\b(?:talk|speak)s? (?:to|with) (?:a |the )?(?:person|people|someone|somebody) (?:who|that|about|in|at|on)\b(?!.*\b(?:team|staff|mod|works? (?:here|there|for)|employee|in charge|runs? (?:this|the)))/,
];

/** "I don't want to talk to anyone" is the opposite of a request: drop negated clauses first. */
const NEGATED = /\b(?:don'?t|do not|dont|never|won'?t|will not|not going to|no need to) (?:want to |wanna |need to |have to )?(?:talk|speak|chat|deal)(?: (?:to|with)\b[^,.;!?]*)?/g;
/** "I don't need a human", "no need for a mod": declining a person is not asking for one. */
const DECLINED =
  /\b(?:(?:don'?t|do not|dont|doesn'?t|does not|never|no longer) (?:really |even |actually )?(?:need|want|require)|no need (?:for|of)) (?:a |an |any |the |some )?(?:real |actual |live )?(?:human|humans|huamn|hooman|person|people|mod|mods|moderator|moderators|admin|admins|agent|staff|someone|somebody|anyone)\b[^,.;!?]*/g;

// Words each list needs one of (derived from its patterns, so they cannot drift apart): most
// messages skip the list. (They read normalised text: lower case.)
const ANY_PATTERN = lazyPrefilter(PATTERNS, { lowerCaseText: true });
const ANY_NOT_A_REQUEST = lazyPrefilter(NOT_A_REQUEST, { lowerCaseText: true });
const ANY_NEGATION = lazyPrefilter([NOT_A_BOT, NEGATED, DECLINED], { lowerCaseText: true });
const ANY_NOT_SOMEONE = lazyPrefilter([NOT_SOMEONE], { lowerCaseText: true });
const ANY_RULE = lazyPrefilter([...NOT_A_REQUEST, NOT_A_BOT, NEGATED, DECLINED, ...PATTERNS, NOT_SOMEONE, NAMES_THE_TEAM], { lowerCaseText: true });

/**
 * Does the message ask for a person? The phrase list above and the learned model (trained on
 * public customer-service requests and hand-labelled community lines) each may say yes; the
 * policy rules (talking *about* people, declining a person, negated requests, naming someone
 * from the team) decide first and cannot be overruled. `threshold` is the community's setting (default: the model's).
 */
export function wantsHuman(text: string, threshold?: number | null): boolean {
  // A request for a person is short and up front: look at the start of long messages only.
  const normalized = normalizeForMatching(text ?? '').slice(0, 1500);
  if (!normalized) return false;
  // Most messages hold none of the strings any rule below needs: then none matches, nothing
  // is removed, no one is named, and the answer is no.
  if (!(ANY_RULE()?.test(normalized) ?? true)) return false;
  if ((ANY_NOT_A_REQUEST()?.test(normalized) ?? true) && NOT_A_REQUEST.some((p) => p.test(normalized))) return false;
  // Without the strings of a negation (or of not wanting a bot), there is none to drop.
  const negations = ANY_NEGATION()?.test(normalized) ?? true;
  if (negations && NOT_A_BOT.test(normalized)) return true;
  const affirmed = negations ? normalized.replace(NEGATED, ' ').replace(DECLINED, ' ') : normalized;
  if ((ANY_PATTERN()?.test(affirmed) ?? true) && PATTERNS.some((p) => p.test(affirmed))) return true;
  // The model reads what is left once declined or negated clauses are gone ("I don't need a
  // human, just tell me how" is not a request), and the original text otherwise.
  const rest = affirmed === normalized ? text : affirmed.replace(/\s+/g, ' ').trim();
  const named = (ANY_NOT_SOMEONE()?.test(affirmed) ?? true) ? affirmed.replace(NOT_SOMEONE, ' ') : affirmed;
  return rest.length > 0 && NAMES_THE_TEAM.test(named) && modelSays('wantsHuman', rest, threshold);
}
