/**
 * The stakes map: the classes of message where a human leads, and the lexical patterns that
 * recognise them. Patterns run on `normalizeForMatching` text (lower case, no accents,
 * plain quotes). They were tuned on half of banking77 (the other half is held out) and on
 * hand-written community examples; see bench/stakes/README.md. Keep them precise: a false
 * "high" silences automated help, a missed one is still reachable through `/human`.
 */
import { lazyPrefilter } from '../text/required-literals';

export const STAKES_CLASSES = ['outage', 'billing', 'fraud_security', 'data_loss', 'harassment_safety', 'distress', 'legal'] as const;
export type StakesClass = (typeof STAKES_CLASSES)[number];

export function isStakesClass(value: string): value is StakesClass {
  return (STAKES_CLASSES as readonly string[]).includes(value);
}

export const STAKES_CLASS_LABELS: Record<StakesClass, string> = {
  outage: 'outages (the service is down for people)',
  billing: 'billing and payment disputes (charged twice, unrecognised charges, missing or refused refunds)',
  fraud_security: 'fraud and account security (stolen cards, hacked accounts, phishing)',
  data_loss: 'data loss',
  harassment_safety: 'harassment and safety',
  distress: 'personal distress or crisis',
  legal: 'legal matters',
};

// Building blocks (contractions with and without apostrophes, common typos).
const NOT = "(?:n'?t|not| not)";
const CANT = "(?:can'?t|cannot|can not)";
/** Something that says a charge is not the member's doing. */
const DISOWN =
  "(?:(?:is|was|are|were|that'?s|that is|it'?s|it is|has|have) (?:not|n'?t|never) (?:been )?(?:mine|me|done by me|made by me|by me|be done by me|correct|right)|not (?:mine|done by me|made by me|by me)|(?:i|we) (?:do not|don'?t|dont|did not|didn'?t|didnt|never|have not|haven'?t|havent|can'?t|cannot|can not|am not sure i|don'?t think i|do not think i) (?:\\w+ )?(?:recogni[sz]e|recongi[sz]e|reconi[sz]e|recall|remember|know|make|made|do|did|authori[sz]e|approve|create|initiate|perform|take|get|withdraw)|(?:looks?|seems?) (?:\\w+ )?(?:suspicious|fishy|strange|wrong|off|questionable)|(?:i'?m|i am) not familiar with|(?:is|was) (?:off|wrong|strange|a mistake|fishy|suspicious|questionable|unusual|not correct)|that wasn'?t me|wasn'?t me)";
const REFUND_CUE =
  "(?:can'?t|cannot|can not|don'?t|do not|does not|doesn'?t|isn'?t|is not|not|hasn'?t|has not|haven'?t|havent|hasnt|no|never|still|yet|nowhere|no where|status|missing|waiting|expect|expecting|due|supposed|won'?t|where)";
const DONT = "(?:don'?t|do not|dont|didn'?t|did not|never)";
const MY = '(?:my|our|the|this|that|a|an|some|one)';
const CHARGE = '(?:charges?|payments?|transactions?|debits?|direct debits?|withdrawals?|purchases?|transfers?|fees?|bills?|invoices?)';
const RECOGNISE = '(?:recogni[sz]e|recogni[sz]ed|reconi[sz]e|remember|know about|authori[sz]e|authori[sz]ed|make|made|do|did|perform|performed|approve|approved|order|ordered)';
const SERVICE = '(?:site|website|web ?site|app|application|server|servers|service|services|api|platform|dashboard|portal|login|log ?in|sign ?in|checkout|bot|game|discord|everything|system)';

const THREAT =
  '(?:stolen|stole|steal|stealing|theft|thief|pickpocket(?:ed)?|robbed|mugged|hacked|hacker|hackers|compromised|breached|scam|scammed|scammer|scammers|fraud|fraudulent|fraudster)';

/** Verbs that take a machine down on purpose ("shut your system down", "got the servers down"): no outage. */
const TAKE_DOWN =
  '(?<!\\b(?:shut|shuts|shutting|take|takes|taking|took|taken|bring|brings|bringing|brought|got|get|gets|getting|put|puts|putting|turn|turns|turning|turned|power|powers|powering|powered|knock|knocks|knocked|tear|tore|pull|pulls|pulled|slow|slows|slowed|set|sets) (?:(?:my|your|his|her|our|their|the|this|that|these|those|all the|all|a|an) )?)';
/** Someone a crisis word is about ("my friend is suicidal", "suicidal thoughts"), not a thing or a band. */
const PERSON =
  "(?:i|i'?m|im|i'?ve|me|my|myself|we|feel\\w*|thinking|thoughts?|commit\\w*|attempt\\w*|friend|brother|sister|mom|mum|dad|son|daughter|wife|husband|partner|kid|child|he|she|they|someone|somebody|hotline|crisis|prevention)";
const SUICIDE = `(?=suicid)(?<=\\b${PERSON}\\b.{0,40})suicid(?:e|al)(?! tendencies)|suicid(?:e|al)(?! tendencies)(?=.{0,40}\\b${PERSON}\\b)|(?:i (?:have|get|had)|i'?ve (?:got|had)|my) suicidal tendencies`;

/** Someone else using something: a security matter only with the member's money, card or account in it ("lots of people are using it" is not). */
const SOMEONE_USING =
  '\\b(?:someone|somebody|people|a stranger|some ?one else) (?:\\w+ ){0,3}(?:using|used|taking|took|withdr\\w*|gained access|accessed|made a withdrawal|stole|taken money|charging)\\b';
const HOLDINGS = '(?:my|our|me|us|money|cash|card|account|funds)';

// Lookbehinds are costly where they open an alternative (they run backwards at every position
// of every message): each is preceded by a lookahead for the words that must follow, which
// fails at once almost everywhere and changes nothing about what matches.
const r = (source: string) => new RegExp(source, 'i');

export const STAKES_PATTERNS: Record<StakesClass, RegExp[]> = {
  outage: [
    // ...but not "if there is an outage", "no outage", "planned downtime"
    r(`(?=outage|downtime|service disruption|degraded performance)(?<!\\b(?:if|whether|about|no|not|without|planned|scheduled)\\b[^.?!;,]{0,30})\\b(?:outage|outages|downtime|service disruption|degraded performance)\\b`),
    r(`(?=${SERVICE})${TAKE_DOWN}\\b${SERVICE} (?:is|are|was|were|'s|seems?|seem to be|keeps?|still|has been|have been)? ?(?:completely |totally |still )?(?:down|offline|unreachable|unavailable|not loading|not responding)\\b`),
    r(`\\b(?:is|are) (?:the )?${SERVICE} down\\b`),
    r(`\\bdown for (?:everyone|everybody|all of us|me too)\\b`),
    // a web status code, not a mail relay's "said 504 5.5.2"
    r(`\\b(?:502|503|504)s?\\b(?= ?(?:errors?|bad gateway|service unavailable|gateway|time ?outs?|status|from|on|when|for|again|since|page)\\b)|\\b(?:error|http|status|code|getting|got|get|gets|returns?|returning|throws?|throwing|gives?|giving) ?:? ?(?:502|503|504)s?\\b|\\bbad gateway\\b|\\binternal server error\\b|\\bservice unavailable\\b`),
    r(`\\bnobody can (?:log ?in|login|sign in|connect|access)\\b|\\b(?:${CANT}|cannot|unable to) (?:log ?in|login|sign in|connect|access (?:the|my) (?:site|app|account))\\b.*\\b(?:everyone|anyone|nobody|all of us)\\b`),
    r(`\\bnothing (?:is )?(?:works|working|loads|loading)\\b`),
    // a few languages
    r(`\\b(?:caido|caida|no funciona nada)\\b|\\best (?:en panne|hors service)\\b|\\bpanne\\b|\\bist (?:down|ausgefallen)\\b|\\bausfall\\b|\\bfora do ar\\b`),
  ],
  billing: [
    r(`\\b(?:charged|billed|debited|deducted|taken|paid|charging|billing) (?:me |us )?(?:twice|two times|2 times|double|multiple times|three times|again for the same)\\b`),
    r(`\\b(?:double|duplicate|duplicated|repeated|second) (?:charges?|payments?|transactions?|billing|debits?)\\b|\\bdouble[- ]charged\\b|\\bcharged (?:me )?(?:for )?(?:the same|it) (?:thing )?(?:twice|two times)\\b`),
    r(`\\b(?:same|one) (?:payment|transaction|charge|purchase) (?:twice|two times|2 times)\\b|\\b(?:twice|two times|2 times) for (?:the same|one|a single)\\b|\\b(?:show(?:s|ing|ed)?|appear(?:s|ing|ed)?|went through|listed|charged|billed|posted|go through|processed|taken out|deducted) (?:\\w+ ){0,3}(?:twice|two times|2 times)\\b|\\b(?:payment|charge|transaction)s? (?:\\w+ ){0,2}(?:twice|2x)\\b|\\bcharged (?:\\w+ )?two\\b|\\bpaid (?:for )?(?:\\w+ ){0,2}twice\\b`),
    r(`\\b(?:refund|refunds|refunding) (?:was |is |got |has been |have been )?(?:refused|denied|rejected|declined)\\b|\\b(?:refuse[sd]?|refusing|won'?t|will not|wont|denied|deny|denying) (?:to |me |us |my )?(?:a |my |the |me a )?refund\\b`),
    r(`\\b(?:still|haven'?t|have not|havent|not|never|didn'?t|did not|yet to) (?:\\w+ )?(?:received|receive|got|get|gotten|seen|see|showing|showed|shown|come|arrived|appeared|appear|credited|reflected|show)\\b.{0,40}\\brefund\\b|\\brefund\\b.{0,40}\\b(?:not|hasn'?t|has not|isn'?t|is not|never|yet to|still|missing|nowhere|didn'?t|did not)\\b.{0,30}\\b(?:show|shown|showing|arrive|arrived|come|came|appear|appeared|received|posted|gone through|processed|credited|through|reflected|reflecting|visible|there|up|yet)\\b`),
    r(`\\brefund(?:ed|s)?\\b.{0,80}\\b${REFUND_CUE}\\b|\\b${REFUND_CUE}\\b.{0,80}\\brefund(?:ed|s)?\\b|\\breturn(?:ed)? (?:transaction|item|purchase)?\\b.{0,40}\\b(?:hasn'?t|not|don'?t|do not|why)\\b.{0,30}\\b(?:show|shown|showed|cleared|see|appear)`),
    r(`\\b(?:charges?|payments?|transactions?|debits?|direct debits?|withdrawa?ls?|withdraws?|purchases?|merchant|seller|company|business|name on)\\b.{0,60}\\b${DISOWN}|\\b${DISOWN}\\b.{0,30}\\b(?:charges?|payments?|transactions?|debits?|withdrawa?ls?|purchases?|merchant|seller)\\b`),
    r(`\\b(?:same|identical) (?:\\w+ )?(?:charges?|transactions?|payments?|debits?)\\b.{0,40}\\b(?:more than once|multiple times|several times|twice|two times|again)\\b|\\b(?:two|2|multiple|several) of the same (?:charge|transaction|payment|debit)|\\b(?:showing|shows|showed|appear(?:s|ing)?|show(?:ing)? up) (?:\\w+ )?(?:multiple|several) times\\b|\\b(?:payment|charge|transaction) (?:was |got |has been )?duplicated\\b|\\bdeclined but (?:it )?(?:shows|still|went)`),
    r(`\\b(?:did not|didn'?t|didnt|not|wasn'?t able to|was not able to) (?:receive|get|given|distributed|dispensed|take out) (?:all|the full|enough|the (?:right|correct|whole) amount)\\b|\\b(?:got|received|gave me|given) (?:only |a )?(?:less|different|incorrect|wrong) (?:amount|money|cash|than)\\b|\\b(?:less|more|different) (?:money |cash |amount )?than (?:what )?(?:i|was) (?:asked|requested|entered|wanted|withdrew|expected|actually)\\b|\\b(?:got|received|gave me) only \\$?\\d+|\\bonly (?:\\$|£|€)?\\d+\\b.{0,30}\\bwithdraw|\\b(?:atm|machine) (?:just )?(?:kept|ate|gave me a different)\\b|\\bit kept my (?:cash|money)\\b|\\bonly (?:got|gave(?: me)?|received|dispensed|came out|go)\\b.{0,30}(?:[$£€]|\\d+ ?(?:pounds|dollars|euros|bucks|quid|gbp|usd|eur)\\b|\\bcash\\b|\\bmoney\\b|\\bhalf\\b|\\bpart\\b)|\\b(?:atm|withdr\\w*|cash)\\b.{0,50}\\bonly (?:got|gave|received|dispensed|came out|go)\\b`),
    r(`\\b(?:amount|cash|money|withdrawa?l|withdraw)\\b.{0,50}\\b(?:is not the amount|not the (?:right|correct|full) amount|(?:is |was )?different (?:than|from)|does(?:n'?t| not) (?:match|correspond)|(?:was|is) (?:short|not entirely complete)|(?:so much |much )?higher than|more than (?:i|what i) (?:did|took|withdrew|got|received|actually)|was not received|still hasn'?t been received)\\b|\\b(?:didn'?t|did not|not) (?:get|receive|revieve|recieve) (?:the |that |all (?:the )?)?(?:amount|cash|right amount|correct amount)\\b|\\bshorted me\\b|\\bonly (?:allowed|let) me (?:to )?withdraw\\b|\\ball it gave me was\\b|\\bonly paid me\\b|\\bonly get \\$?\\d+ when\\b`),
    r(`\\b(?:says|shows|said|showing) (?:that )?i (?:\\w+ ){0,6}.{0,20}\\b(?:but|even though|however|though)\\b.{0,10}\\bi (?:didn'?t|did not|never)\\b|\\b(?:withdrew|withdrawn|took out) (?:\\w+ ){0,3}(?:cash|money)\\b.{0,5}\\bi didn'?t\\b`),
    r(`\\b(?:where(?:'?s| is)|missing|waiting (?:on|for)|still waiting (?:on|for)|what happened to|haven'?t (?:seen|got|received)|did${NOT} (?:get|receive))\\b.{0,20}\\brefund\\b|\\brefund\\b.{0,15}\\b(?:missing|pending|delayed|overdue|taking (?:so )?long|taking forever|still pending)\\b|\\bwhen (?:will|do|does|can|should) (?:i|we)\\b.{0,15}\\b(?:get|see|receive)\\b.{0,15}\\brefund\\b|\\brefund\\b.{0,30}\\b(?:so )?long\\b|\\bwhen will (?:my|the) refund\\b|\\bwhy (?:is|isn'?t|hasn'?t|has|don'?t|doesn'?t)\\b.{0,10}\\brefund\\b|\\brefund (?:status|hasn'?t|isn'?t|didn'?t|not)\\b`),
    r(`\\b(?:charges?|payments?|transactions?|debits?|withdrawals?|purchases?|fees?|amounts?) (?:that |which )?(?:i |we )?${DONT} ${RECOGNISE}\\b|\\b${DONT} ${RECOGNISE} (?:\\w+ ){0,3}${CHARGE}\\b|\\b(?:unrecogni[sz]ed|unknown|unfamiliar|strange|weird|suspicious|random|mysterious|odd|unexpected|unauthori[sz]ed|foreign) (?:\\w+ )?(?:charges?|payments?|transactions?|debits?|direct debits?|withdrawals?|purchases?|merchant|company|seller|vendor|entity|business)\\b`),
    r(`\\b(?:i|we) (?:definitely |really |certainly |surely |absolutely )?(?:did${NOT}|did not|never|have${NOT}|have not) (?:make|made|do|authori[sz]e|approve|order|buy|purchase|withdraw|take out|set up|sign up for|agree to)\\b.{0,40}\\b(?:this|that|these|those|it|them|payment|charge|transaction|purchase|withdrawal|money|cash|debit)\\b`),
    r(`\\b(?:where (?:did|does|is) (?:this|that|the) (?:\\w+ )?(?:charge|payment|transaction|debit|withdrawal) (?:come|coming) from|what (?:is|was) (?:this|that) (?:\\w+ )?(?:charge|payment|transaction|debit|withdrawal)\\b)`),
    r(`\\b(?:dispute|disputing|contest|contesting|challenge) (?:a |the |this |that |my )?(?:\\w+ )?(?:charge|payment|transaction|bill|invoice|debit)s?\\b|\\bchargeback\\b|\\breverse (?:the|this|a) (?:charge|payment|transaction)\\b`),
    r(`\\b(?:overcharged|over-charged|wrongly charged|charged wrongly|charged incorrectly|incorrect(?:ly)? (?:charge|billed|billing)|wrong(?:ly)? billed|charged (?:the )?wrong amount|billed (?:the )?wrong|charged (?:me )?(?:more|too much|extra) than|charged (?:after|even though) (?:i )?cancel(?:l?ed)?)\\b`),
    r(`\\b(?:invoice|bill|receipt|statement) (?:is |was |looks )?(?:wrong|incorrect|not right|off)\\b|\\b(?:wrong|incorrect) (?:invoice|bill|amount charged)\\b`),
    r(`\\b(?:atm|machine|cash machine) (?:only )?(?:gave|give|dispensed|did${NOT} give|didn'?t give|did not give|gave me less|short)\\b|\\b(?:did${NOT}|did not|didn'?t) (?:get|receive|give me) (?:all |the (?:full|right|correct|whole) |enough |the )?(?:(?:amount of )?(?:money|cash)|amount)\\b|\\b(?:less|not enough|wrong amount of|partial amount|only part of|only a part of|only some of) (?:the )?(?:money|cash|amount)\\b|\\bwrong amount\\b|\\b(?:withdr[ae]w|take out|took out)\\b.{0,40}\\b(?:only|but)\\b.{0,25}\\b(?:got|gave|received|came out|dispensed)\\b`),
    r(`\\b(?:cobro (?:doble|duplicado|no reconocido)|me cobraron dos veces|reembolso rechazado|debite deux fois|preleve deux fois|remboursement refuse|doppelt (?:abgebucht|belastet)|cobrado duas vezes|cobranca indevida)\\b`),
  ],
  fraud_security: [
    // Theft, hacking and fraud count when they concern the member (chat about stolen goods in the news does not).
    r(`\\b(?:my|our|me|i|i'?ve|i'?m|we)\\b.{0,50}\\b${THREAT}\\b|\\b${THREAT}\\b.{0,50}\\b(?:my|our|me|us)\\b|\\b(?:stolen|hacked|compromised|cloned|skimmed) (?:card|account|identity|credentials|password|phone|wallet|details)\\b|\\b(?:is (?:this|that|it)|this is|that'?s|looks like|seems like) (?:a |an )?(?:scam|phishing|fraud|fraudulent|hack)\\b|\\bphish(?:ing|ed)?\\b|\\bidentity theft\\b|\\baccount (?:takeover|(?:was |got |has been )?taken over)\\b|\\b(?:skimm(?:ed|er|ing)|cloned) (?:card|cards|account)\\b|\\bcard (?:was |got |has been )?(?:skimmed|cloned)\\b`),
    r(`\\b(?:lost|lose|losing|misplaced|${CANT} find|cannot find|can not find|left) (?:my |our )(?:\\w+ )?(?:card|cards|wallet|purse|phone|mobile|cell ?phone|device|iphone|android)\\b|\\b(?:card|phone|wallet) (?:is |was |has been |got |went )?(?:lost|missing|gone)\\b`),
    r(`(?=${SOMEONE_USING})(?<=\\b${HOLDINGS}\\b.{0,60})${SOMEONE_USING}|${SOMEONE_USING}(?=.{0,40}\\b${HOLDINGS}\\b)|\\bsecurity breach\\b|\\b(?:freeze|freezing|block|blocking|cut off|lock|suspend) (?:my |the )(?:card|account|debit card|credit card)\\b|\\b(?:phone|card|wallet) (?:was|got|has been) (?:taken|nicked|swiped)\\b|\\b(?:can'?t|cannot|can not) find my (?:card|phone|wallet)\\b|\\bmy (?:lost|missing) (?:card|phone|wallet)\\b`),

    r(`\\bsomeone (?:else )?(?:has |had |is |was )?(?:using|used|use|got|accessed|access|logged into|logged in to|took|taken|made|making|has a copy of|copied|knows?) (?:\\w+ ){0,2}(?:my|our)\\b`),
    // (an unknown device is hardware talk unless it logged into something)
    r(`\\b(?:unauthori[sz]ed|suspicious|strange|unknown|unrecogni[sz]ed) (?:\\w+ )?(?:access|login|log ?in|sign[- ]?in|activity|email|link|dm)\\b|\\b(?:unauthori[sz]ed|suspicious|strange|unknown|unrecogni[sz]ed) (?:\\w+ )?(?:device|session)\\b(?=.{0,50}\\b(?:account|logged|log ?in|login|signed in|sign[- ]?in|access\\w*)\\b)|\\bwithout my (?:permission|knowledge|consent|authori[sz]ation)\\b`),
    r(`\\b(?:password|2fa|two[- ]factor|email) (?:was |has been |got )?(?:changed|reset|leaked|stolen) (?:without|by someone|and i didn'?t)\\b|\\b(?:leaked|exposed) (?:my )?(?:password|credentials|api key|token)\\b|\\b${CANT} (?:get|log) (?:back )?in(?:to)? my account\\b.{0,40}\\b(?:someone|changed|hacked)\\b`),
    r(`\\b(?:robado|robada|me robaron|hackeado|hackeada|estafa|fraude|vole|volee|pirate|piratee|arnaque|gestohlen|gehackt|betrug|roubado|roubada|golpe|hackeado|fraude)\\b`),
  ],
  data_loss: [
    r(`\\bdata loss\\b|\\blost (?:all )?(?:of )?(?:my |our |the )?(?:data|files|work|progress|saves?|save files?|photos|pictures|documents|messages|history|database|backups?|projects?|notes|everything)\\b`),
    r(`\\b(?:data|files|work|progress|saves?|save files?|photos|documents|messages|history|database|backups?|projects?|notes|account|everything|inventory|posts) (?:is |are |was |were |got |has been |have been |just )?(?:all )?(?:gone|deleted|wiped|erased|lost|disappeared|vanished|corrupted|corrupt|missing)\\b`),
    r(`\\b(?:deleted|wiped|erased|corrupted|reset) (?:all )?(?:of )?(?:my|our) (?:data|files|work|progress|saves?|account|photos|documents|messages|history|database|projects?|notes)\\b|\\bdata (?:was |got )?(?:corrupted|wiped)\\b`),
    r(`\\b(?:perdi|he perdido) (?:todos )?(?:mis|los) (?:datos|archivos)\\b|\\bperdu (?:toutes )?mes (?:donnees|fichiers)\\b|\\bdaten (?:sind )?(?:weg|verloren|geloscht)\\b|\\bperdi (?:todos )?(?:os )?meus (?:dados|arquivos)\\b`),
  ],
  harassment_safety: [
    r(`\\b(?:harass|harassed|harassing|harassment|harrass\\w*|bully|bullied|bullying|stalk|stalked|stalking|stalker|doxx?|doxx?ed|doxx?ing|grooming|groomed|threatening|threatened|threatens|death threats?|rape threats?|hate speech|slurs?)\\b`),
    r(`\\b(?:racist|sexist|homophobic|transphobic|antisemitic|misogynist(?:ic)?) (?:abuse|comments?|messages?|remarks?|dms?|slurs?|insults?|attacks?)\\b|\\b(?:abusive|abuse|abusing) (?:me|us|dms?|messages?|member|behaviou?r|language)\\b|\\b(?:sexual(?:ly)?) (?:harass\\w*|explicit|messages|advances|comments)\\b`),
    r(`\\b(?:sent|sending|sends|keeps? sending) me (?:unsolicited |explicit |nude |sexual )?(?:nudes|explicit|sexual|porn|dick pics?)\\b|\\b(?:won'?t|will not|doesn'?t|does not) (?:stop|leave me alone) (?:messaging|dming|contacting|following|texting)\\b|\\bkeeps? (?:dm'?ing|messaging|following|contacting) me\\b`),
    r(`\\b(?:i (?:don'?t|do not|no longer) feel safe|feel unsafe|not safe here|in danger|someone (?:threatened|is threatening) (?:me|to))\\b|\\b(?:going to|gonna|will) (?:kill|hurt|find|beat) (?:you|me|him|her|them)\\b|\\b(?:knows? where i live|posted my (?:address|phone number|real name))\\b`),
    r(`\\b(?:acoso|me acosa|acosando|harcelement|harcele|belastigung|belastigt|assedio)\\b`),
  ],
  distress: [
    r(`\\b(?:kill(?:ing)? myself|${SUICIDE}|end(?:ing)? (?:my life|it all|everything)|tak(?:e|ing) my (?:own )?life|want(?:ed)? to die|wanna die|wish i (?:was|were) dead|better off dead|no reason to live|(?:don'?t|do not) want to (?:live|be alive|be here anymore|exist)|self[- ]?harm|hurt(?:ing)? myself|cut(?:ting)? myself|overdos(?:e|ed|ing)|can'?t go on|cannot go on|not worth living)\\b`),
    r(`\\b(?:i'?m|i am|feeling|feel) (?:so |really |completely )?(?:hopeless|suicidal|worthless and alone)\\b|\\bpanic attacks?\\b|\\bin crisis\\b|\\bmental breakdown\\b|\\bnobody would (?:care|miss me)\\b`),
    r(`\\b(?:quiero morir|me quiero morir|suicid(?:arme|io)|matarme|quitarme la vida|je veux mourir|envie de mourir|me suicider|me tuer|ich will sterben|mich umbringen|selbstmord|suizid|quero morrer|me matar|voglio morire|uccidermi)\\b`),
  ],
  legal: [
    r(`\\b(?:lawyer|lawyers|attorney|solicitor|lawsuit|law suit|legal action|legal proceedings|legal notice|small claims|class action|court order|subpoena|cease and desist|dmca|takedown notice|copyright (?:infringement|claim|violation)|trademark infringement|gdpr|ccpa|data protection (?:authority|request|complaint)|subject access request|right to be forgotten|ombudsman|consumer protection|report (?:you|this|them) to (?:the )?(?:police|authorities|regulator|ftc|fca|bbb))\\b`),
    r(`\\b(?:(?:going to|gonna|will|i'?ll|we'?ll|i'?m going to|threaten(?:ed|ing)? to) (?:sue|take (?:you|them|this) to court)|sue (?:you|them|the company|your company|for)|suing (?:you|them|the company)|(?:sued|suing) (?:us|me))\\b`),
    r(`\\b(?:abogado|demanda|demandar|avocat|poursuite|plainte|anwalt|klage|verklagen|advogado|processo judicial|processar)\\b`),
  ],
};

/** The member (or their data) in the message: first person. */
const FIRST_PERSON = /\b(?:i|i'?m|i'?ve|i'?d|i'?ll|me|my|mine|myself|we|we'?re|we'?ve|we'?ll|our|ours|us)\b/;

/**
 * What a class needs besides its wording, so a report is told from talk about the topic:
 * data loss is the member's own data ("your data is gone", "how do I recover deleted
 * files?" are not), and a legal matter is the member's dispute (a notice they got, their
 * lawyer, a threat to sue), not a discussion of the DMCA or GDPR.
 */
const IN_IT: Partial<Record<StakesClass, RegExp>> = {
  data_loss: FIRST_PERSON,
  legal: /\b(?:my|our|me|us|i'?ve|i'?m|i'?ll|we'?ve|we'?re|we'?ll)\b|\b(?:i|we) (?:\w+ )?(?:got|get|received|receive|was|were|am|are|have|had|will|filed|file|sent|send|want|need|going)\b|\b(?:sue|suing|sued)\b/,
};

/** A quoted span ('...' or "..."), apostrophes inside words aside. */
const QUOTED = /(?<![\p{L}\p{N}])(["'])(?:(?!\1).){2,200}?\1(?![\p{L}\p{N}])/gu;
/** The member says the quote is what they see ("I get "503 service unavailable""). */
const SEES = /\b(?:get|gets|getting|got|says?|said|saying|shows?|showing|shown|see|seeing|reads?|returns?|returning|errors?|message|page|screen)\b/;

/**
 * Whether a `mark` in the text may open a QUOTED span: one at the start, or after a character
 * that is not an ASCII letter or digit (a letter or digit outside ASCII is not told apart
 * here: it may open too). A mark after a letter or digit ("don't") never opens one.
 */
function mayOpenQuote(text: string, mark: string): boolean {
  for (let i = text.indexOf(mark); i !== -1; i = text.indexOf(mark, i + 1)) {
    const before = i === 0 ? 0 : text.charCodeAt(i - 1);
    if (before >= 128 || !((before >= 48 && before <= 57) || (before >= 65 && before <= 90) || (before >= 97 && before <= 122))) return true;
  }
  return false;
}

/**
 * The member's own words: a quote is someone else's ("hahaha 'my website is down'"), unless
 * the member reports it as what they see. Distress keeps every word: safety first.
 */
function ownWords(normalized: string): string {
  // No quote mark that can open a quote, no quote (most messages, "don't" and "i'm" among
  // them): the text stands as it is.
  if (!mayOpenQuote(normalized, '"') && !mayOpenQuote(normalized, "'")) return normalized;
  const outside = normalized.replace(QUOTED, ' ');
  return outside === normalized || SEES.test(outside) ? normalized : outside;
}

/**
 * Strings at least one of which every pattern of a class needs, derived from the patterns
 * themselves (so they cannot drift apart): most messages have none, and then the class's
 * patterns need not run. A class whose patterns the derivation cannot bound always runs them.
 */
// (Every text they read is normalised, so lower case.)
const PREFILTERS = Object.fromEntries(STAKES_CLASSES.map((c) => [c, lazyPrefilter(STAKES_PATTERNS[c], { lowerCaseText: true })])) as Record<StakesClass, () => RegExp | undefined>;

export function classPrefilter(c: StakesClass): RegExp | undefined {
  return PREFILTERS[c]();
}

/**
 * Every class's prefilter in one (derived the same way, from all the patterns): its strings
 * include a part of each class's, so a text it does not let through passes no class's
 * prefilter, and one pass over the message replaces a pass per class.
 */
const ANY_CLASS = lazyPrefilter(STAKES_CLASSES.flatMap((c) => STAKES_PATTERNS[c]), { lowerCaseText: true });

/** Does a (normalised) message belong to a class: its wording, in the member's own words, with the member in it? */
export function matchesClass(c: StakesClass, normalized: string): boolean {
  return matchesIn(c, c === 'distress' ? normalized : ownWords(normalized));
}

/**
 * The classes (of `among`, in STAKES_CLASSES order) a normalised message belongs to: what
 * filtering with matchesClass gives, with the member's own words found once and one gate for
 * every class first (most messages pass none).
 */
export function matchingClasses(normalized: string, among: readonly StakesClass[] = STAKES_CLASSES): StakesClass[] {
  const own = ownWords(normalized);
  const gate = ANY_CLASS();
  if (gate && !gate.test(normalized) && (own === normalized || !gate.test(own))) return [];
  return STAKES_CLASSES.filter((c) => among.includes(c) && matchesIn(c, c === 'distress' ? normalized : own));
}

/**
 * Each pattern's own prefilter (derived the same way): where a class's prefilter lets a
 * message through, only the patterns whose strings it holds run.
 */
const PATTERN_PREFILTERS = Object.fromEntries(
  STAKES_CLASSES.map((c) => [c, STAKES_PATTERNS[c].map((pattern) => lazyPrefilter([pattern], { lowerCaseText: true }))]),
) as Record<StakesClass, (() => RegExp | undefined)[]>;

function matchesIn(c: StakesClass, text: string): boolean {
  if (!(classPrefilter(c)?.test(text) ?? true) || !(IN_IT[c]?.test(text) ?? true)) return false;
  const patterns = STAKES_PATTERNS[c];
  const prefilters = PATTERN_PREFILTERS[c];
  for (let i = 0; i < patterns.length; i++) if ((prefilters[i]!()?.test(text) ?? true) && patterns[i]!.test(text)) return true;
  return false;
}
