/**
 * The same-here recogniser: does a chat message say "I have this problem / question too"?
 * A pure function of the text (no I/O), shared by the same-here feature and the `classify`
 * CLI. It knows English plus Spanish, French, German, Portuguese, and a little Italian and
 * Dutch, common typos and stretched letters ("sameee"), and the emoji 👍 ➕ 🙋 on their own.
 *
 * How it decides, in order:
 * 1. The text is normalised into tokens (normalize.ts).
 * 2. A same-here phrase must open the message (after lead-ins such as "yeah", "ugh", "oh no",
 *    an emoji or a mention), or close a short one ("... here too", "... for me as well").
 * 3. What follows the phrase decides the rest:
 *    - "?" right after it ("same here?", "me too?") is a question, not a report;
 *    - a bare word ("same", "+1", "me too", "ditto", an emoji) must be followed by a pause,
 *      the end, or a filler word: "same time tomorrow?" and "same name as you" are not reports;
 *    - "+1 to what sam said" / "+1 for dark mode" endorse an opinion or a proposal: not a
 *      same-here (nobody reports a problem), while "+1 on this" / "+1 from me" are;
 *    - "same issue as #123" compares two problems: not a same-here;
 *    - a lone emoji or "+1" followed by thanks ("👍 thanks, that worked") is an acknowledgement;
 *    - answer markers (fixed it, the fix was, workaround, try ..., a link or code) mean the
 *      message carries content: "same here, but I fixed it by ..." is a same-here AND an
 *      answer (`carriesContent`). When the phrase is in the past tense ("I had the same
 *      problem and the fix was ...", "same thing happened to me, solved by ..."), the
 *      author is no longer affected: it is an answer only (`sameHere: false`).
 *    - a long remainder (several content words) also carries content.
 */
import { modelSays } from '../models';
import { lazyPrefilter } from '../text/required-literals';
import { normaliseText } from './normalize';

export type SameHereLanguage = 'en' | 'es' | 'fr' | 'de' | 'pt' | 'it' | 'nl' | 'emoji';

export interface SameHereRecognition {
  /** The message reports the same problem / question as the one it answers. */
  sameHere: boolean;
  /** The message also says something new (a fix, a detail, a question): keep treating it as a normal message. */
  carriesContent: boolean;
  /** strong: an explicit phrase ("I have the same problem"); weak: a bare token ("+1", "same", 👍) that needs clear context. */
  strength: 'strong' | 'weak' | null;
  language: SameHereLanguage | null;
  /** The phrase that matched, normalised (for explanations and debugging). */
  phrase: string | null;
  /** Why the verdict, in a few words (for tests, the classify CLI and debugging). */
  reason: string;
}

interface Phrase {
  /** Regex source over the normalised tokens (space separated). */
  re: string;
  lang: SameHereLanguage;
  strength: 'strong' | 'weak';
  /** Past tense: the author may no longer be affected. */
  past?: boolean;
  /** Like a bare word, it must be followed by a pause, the end or a filler ("I feel you" but not "I feel you should"). */
  bare?: boolean;
}

// Building blocks (tokens are lowercase, without accents or apostrophes).
const NOUN_EN = '(?:problem|problems|issue|issues|error|errors|bug|bugs|question|questions|thing|experience|situation|behaviou?r|crash|crashes|message|result|results|boat|story|case|concern|concerns|doubt|doubts|query|trouble|troubles|struggle|struggles|symptoms|feeling|feelings)';
const PLACE_EN = '(?:here|there|over here|for me|for us|with me|on my (?:end|side)|on our (?:end|side)|here too|here as well|too|as well|also|again)';
const SUBJ_EN = '(?:(?:im|ive|were|weve|i|we|me)(?: (?:am|m|are|re|have|ve|has|was|were))? )?';
const ADV_EN = '(?:(?:also|too|still|now|just|definitely|literally|currently|actually|def|constantly|sometimes|did|do|does) )?';
const THIS_EN = '(?:this|that|it|these|those|the same|the exact same|same|exactly the same|similar|a similar)';
const VERB_PRESENT_EN = '(?:have|has|having|get|gets|getting|got|see|seeing|experience|experiencing|face|facing|hit|hitting|running into|run into|encounter|encountering|stuck with|dealing with|suffering from|noticing|notice)';
const VERB_PAST_EN = '(?:had|saw|experienced|faced|ran into|encountered|noticed|was having|were having|was getting|were getting|was seeing)';
const TOO_EN = '(?:too|as well|also|aswell|myself|ourselves)';
const PROBLEM_EN =
  '(?:dead|down|broken|broke|offline|stuck|frozen|freezes|freezing|crash|crashes|crashing|crashed|fails|failing|failed|lagging|laggy|slow|gone|missing|empty|blank|bricked|dying|not (?:working|loading|responding|starting|booting|connecting|syncing)|doesnt work|wont (?:load|start|boot|open|connect|work|sync)|cant (?:connect|load|log ?in|sign in|boot))';

const PHRASES: Phrase[] = [
  // English: explicit reports.
  { re: `${SUBJ_EN}${ADV_EN}${VERB_PRESENT_EN} (?:the |this |that )?(?:exact |very )?same(?: exact)?(?: ${NOUN_EN})?(?: ${PLACE_EN})?`, lang: 'en', strength: 'strong' },
  { re: `${SUBJ_EN}${ADV_EN}${VERB_PAST_EN} (?:the |this |that )?(?:exact |very )?same(?: exact)?(?: ${NOUN_EN})?(?: ${PLACE_EN})?`, lang: 'en', strength: 'strong', past: true },
  { re: `${SUBJ_EN}(?:also|too) ${VERB_PRESENT_EN} ${THIS_EN}(?: ${NOUN_EN})?(?: ${TOO_EN})?`, lang: 'en', strength: 'strong' },
  { re: `${SUBJ_EN}${VERB_PRESENT_EN} ${THIS_EN}(?: ${NOUN_EN})? ${TOO_EN}`, lang: 'en', strength: 'strong' },
  { re: `(?:(?:its|it is|this is|thats|that is|this|it|its also|its) )?(?:also |still )?(?:happening|happens|occurring|going on|broken|failing|down|crashing) (?:to|for|with|on|here for) (?:me|us)(?: ${TOO_EN})?`, lang: 'en', strength: 'strong' },
  { re: `(?:its |it is )?(?:happening|broken|failing|down|crashing) here ${TOO_EN}`, lang: 'en', strength: 'strong' },
  { re: `(?:the )?same (?:thing )?(?:happened|happens|happening) (?:to|for|with) (?:me|us)(?: ${TOO_EN})?`, lang: 'en', strength: 'strong', past: true },
  { re: `(?:(?:its|it is|thats|that is|this is) )?(?:exactly |exact |the exact |the very |the )?same(?: exact)? ${NOUN_EN}(?: ${PLACE_EN})?(?: ${PLACE_EN})?`, lang: 'en', strength: 'strong' },
  { re: `(?:(?:its|it is|thats|that is) )?(?:exactly |exact |the )?same ${PLACE_EN}(?: ${PLACE_EN})?`, lang: 'en', strength: 'strong' },
  { re: `(?:im|were|i|we)(?: m| am| are| re)? (?:also |kinda |kind of |pretty much |basically |all |both )?in (?:the|this|that|a) (?:exact |very )?(?:same|similar) (?:boat|situation|position|predicament|spot|shoes)`, lang: 'en', strength: 'strong' },
  { re: `(?:i|we) (?:have|ve|got|have got|had|face|am facing|m facing) (?:the|a) (?:exact |very )?(?:same|similar) (?:situation|predicament)`, lang: 'en', strength: 'strong' },
  // "that's the same question I have", "my same question", "I was about to post the same question".
  { re: `(?:(?:thats|that is|its|it is|this is) )?(?:(?:the|my) )?(?:exact |very )?same (?:question|doubt|query|problem|issue) (?:i|we) (?:have|had|ve got|got)`, lang: 'en', strength: 'strong' },
  { re: `(?:(?:thats|that is|its|it is|this is) )?my (?:exact |very )?same (?:question|doubt|query|problem|issue)`, lang: 'en', strength: 'strong' },
  { re: `(?:(?:i|we)(?: (?:was|were|am|m|are|re))? )?(?:just |also )?(?:going|about|gonna|here|logged (?:on|in)|came here|came|signed up|joined) to (?:ask|post) (?:the (?:exact |very )?same(?: (?:question|thing))?|this|that)`, lang: 'en', strength: 'strong' },
  // "our experience was much the same", "that's a problem with me too".
  { re: `(?:my|our) (?:experience|situation|story|problem|issue|case)(?: (?:was|is|has been))? (?:much |pretty much |exactly |about |almost |basically )?(?:the )?same`, lang: 'en', strength: 'strong' },
  { re: `(?:thats|that is|its|it is) (?:a|the) (?:problem|issue|struggle|question) (?:with|for) (?:me|us) ${TOO_EN}`, lang: 'en', strength: 'strong' },
  // "I have a problem too", "we had that issue as well".
  { re: `(?:i|we) (?:have|ve got|got|had|am having|m having|was having|have had|ve had) (?:a|an|the|this|that|my) (?:similar |same )?${NOUN_EN} ${TOO_EN}`, lang: 'en', strength: 'strong' },
  // "I'm also looking for ...", "I was also confused": the author shares the state or the need.
  { re: `(?:im|i am|i m|am|were|we are|we re|i was|we were|ive been|weve been|i have been) (?:also|too) (?:confused|stuck|wondering|waiting|looking|searching|struggling|affected|frustrated|annoyed|worried|scared|curious|interested|trying|hoping|dealing|suffering|not into|not sure|unable|lost|in the same|new here|new to)`, lang: 'en', strength: 'strong' },
  { re: `(?:im|i am|i m|am|were|we are|we re|i was|we were) (?:looking|searching|waiting|hoping) for (?:[a-z0-9]+ ){1,4}?${TOO_EN}`, lang: 'en', strength: 'strong', bare: true },
  // A short first-person clause of feeling or having, closed by "too": "I love going there too",
  // "I cant sleep also", "I want to make friends too" (not "I can do that too": a plan or an ability).
  { re: `(?:i|we)(?: (?:really|also|just|still|so|totally|kinda|honestly))? (?:love|loved|hate|hated|like|liked|feel|felt|miss|missed|cant|cannot|couldnt|dont|didnt|struggle|struggled|suffer|suffered|want|wanted|need|needed|wish|enjoy|enjoyed|prefer|have(?! to)|had(?! to)|got|get)(?: (?!(?:too|also|aswell|as|but|and|or|because|if|when|you|your|u|ur|ya)(?= |$))[a-z0-9]+){0,3} (?:too|as well|aswell|also)`, lang: 'en', strength: 'strong', bare: true },
  // "I'm worried about him too", "I'm so excited for this too": a short first-person state closed by "too".
  { re: `(?:im|i am|were|we are)(?: (?:really|also|so|just|kinda|kind of|pretty|super|still))? (?:worried|scared|nervous|excited|sad|glad|happy|sorry|tired|sick|afraid|anxious|confused|stressed|curious|jealous|obsessed|addicted|annoyed|frustrated|upset|disappointed|hooked|terrified)(?: (?!(?:too|also|aswell|as|but|and|or|because|if|when|you|your|u|ur)(?= |$))[a-z0-9]+){0,4} (?:too|as well|aswell|also)`, lang: 'en', strength: 'strong', bare: true },
  // "it has happened to me many times", "that's happened to us", "this happened to me last year".
  { re: `(?:(?:this|that|it|thats|its|the same|the same thing|same thing) )?(?:has |have |had )?(?:also |definitely |totally |literally |actually |def )?happened to (?:me|us)(?: ${TOO_EN})?`, lang: 'en', strength: 'strong', past: true },
  // "I too have a son who ...", "we too do not want ...".
  { re: `(?:i|we)(?: ,)? too(?: ,)? (?:thought|think|wondered|have|had|prefer|love|like|hate|feel|felt|am|was|were|got|get|use|want|need|do|did|dont|cant|cannot|struggle|suffer|suffered|faced|face|experienced|experience|went|go|am looking|was looking)`, lang: 'en', strength: 'strong' },
  { re: `(?:i|we) (?:have|ve|got|have got) the same (?:question|doubt|problem|issue)`, lang: 'en', strength: 'strong' },
  // "I have the same grinder", "we got the same call": the author has it too (not "the same name as you": a comparison).
  { re: `(?:i|we) (?:also )?(?:have|ve got|have got|got|own|use|bought|ordered|drive|wear|run) (?:the )?(?:exact |very )?same (?!(?:as|time|way|thing|one|here|there|too|here|to|for|with|in)(?= |$))[a-z0-9]+(?! as(?= |$))`, lang: 'en', strength: 'strong' },
  { re: `(?:(?:i|we) (?:was|were|am|m|are|re|have been|ve been)|im|ive been|were|weve been) (?:also )?(?:wondering|asking|about to ask) (?:the same|that|this)(?: thing)?(?: ${TOO_EN})?`, lang: 'en', strength: 'strong' },
  { re: `(?:also )?wondering (?:the same|this|that)(?: thing)?(?: ${TOO_EN})?`, lang: 'en', strength: 'strong' },
  { re: `(?:i|we) (?:also |always |often )?(?:wonder|wondered|have wondered|ve wondered|have always wondered|ve always wondered) (?:the (?:exact )?same|this|that)(?: thing)?(?: ${TOO_EN})?`, lang: 'en', strength: 'strong' },
  { re: `(?:i|id|i would) (?:also )?(?:like|love|want) to know (?:this |that )?${TOO_EN}`, lang: 'en', strength: 'strong' },
  { re: `(?:(?:i|we) )?can (?:also )?confirm(?: this| that| it)?(?: ${TOO_EN})?`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:here|for me|for us|on my end|on my side|mine|ours) ${TOO_EN}`, lang: 'en', strength: 'strong' },
  // "my wifi is also dead", "our build also fails": the author's own thing has the problem too.
  { re: `(?:my|our) (?:[a-z0-9]+ ){1,3}(?:(?:is|are|keeps|has been|have been|s) )?(?:also|too) (?:${PROBLEM_EN})`, lang: 'en', strength: 'strong' },
  { re: `(?:its )?not just you`, lang: 'en', strength: 'strong' },
  { re: `(?:youre|you are|ur|im|i am|were|we are) not (?:alone|the only one)`, lang: 'en', strength: 'strong' },
  // Shared feelings and experiences: "I know the feeling", "I feel your pain", "can relate".
  { re: `(?:(?:i|we) )?(?:know|knew) (?:the|that|this|exactly (?:the|that|this)|that exact) feeling`, lang: 'en', strength: 'strong' },
  { re: `(?:(?:i|we) )?know (?:exactly )?how you feel`, lang: 'en', strength: 'strong' },
  { re: `(?:i )?feel (?:your|ur) pain`, lang: 'en', strength: 'strong' },
  // "I feel this in my soul": a shared feeling (bare: "I feel that we should" is an opinion).
  { re: `(?:i )?(?:really |totally |so )?feel (?:this|that)(?: (?:so hard|so much|in my (?:soul|bones|heart|gut)|on a (?:spiritual|personal|deep|whole other) level))?`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:i )?feel (?:you|ya|u)(?: (?:man|bro|dude|mate|there))?`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:(?:i|we) )?(?:also )?(?:feel|felt) (?:exactly )?(?:the )?(?:exact )?same(?: way)?(?! (?:about|on|for|with|regarding|towards?|of) )`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:(?:i|we) )?(?:can|could) (?:totally |definitely |so |really |easily |100 ?% )?relate(?: to (?:this|that|it))?`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:so |very |super |too |extremely |highly )?relatable`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:(?:ive|weve) )?been there(?: (?:done that|too|myself|before|so many times|many times|a lot))?`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:(?:this|that|it) )?(?:also )?happens to (?:me|us)(?: (?:too|as well|also|all the time|a lot|sometimes|every time|constantly))?`, lang: 'en', strength: 'strong' },
  { re: `(?:(?:i|we) )?(?:also )?do (?:this|that|the same)(?: (?:too|as well|all the time|every time|constantly))?`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:i|we|ive|weve) (?:also )?(?:did|done|have done) the (?:exact |very )?same(?: thing)?`, lang: 'en', strength: 'strong', past: true },
  { re: `(?:a lot|lots|many|most|some|all|both|loads|plenty) of us (?:are |r )?(?:all )?in the same boat`, lang: 'en', strength: 'strong' },
  { re: `(?:(?:im|i am|were|we are) )?(?:also )?(?:looking|searching) for (?:the same|this|that)(?: (?:thing|info|information|answer))?(?: ${TOO_EN})?`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:i|we) (?:also )?(?:need|want|could use) (?:help|this|that|it|an answer|the same)(?: with (?:this|that|it))? ${TOO_EN}`, lang: 'en', strength: 'strong' },
  // Short echoes: "I did too", "so am I", "I'm the same".
  { re: `(?:i|we) (?:do|did|am|m|was|have|had|re|are|were) (?:too|as well|also)`, lang: 'en', strength: 'strong', bare: true },
  { re: `so (?:do|did|am|was|have|had|does) (?:i|we)`, lang: 'en', strength: 'strong', bare: true },
  { re: `(?:im|i am|were|we are) (?:just |exactly |pretty much |kinda |kind of )?the (?:exact )?same(?: way)?`, lang: 'en', strength: 'strong', bare: true },
  // "I've had something similar", "I had to deal with a similar problem".
  { re: `${SUBJ_EN}${ADV_EN}(?:${VERB_PRESENT_EN}|${VERB_PAST_EN}|had to deal with|dealt with|went through|am going through|going through) (?:something similar|a (?:very )?similar ${NOUN_EN}|similar ${NOUN_EN})`, lang: 'en', strength: 'strong' },
  { re: `me (?:too|to|2|also|as well|neither|either|three)(?: ${TOO_EN})?`, lang: 'en', strength: 'weak' },
  { re: `(?:neither|nor) (?:can|do|does|am|is) (?:i|mine|we)`, lang: 'en', strength: 'weak' },
  { re: `(?:exactly |the )?same(?: same)?`, lang: 'en', strength: 'weak' },
  { re: `ditto`, lang: 'en', strength: 'weak' },
  { re: `\\+1(?: \\+1)*`, lang: 'en', strength: 'weak' },
  // Spanish.
  { re: `(?:a )?mi (?:tambien|igual|me pasa (?:lo mismo|igual))`, lang: 'es', strength: 'strong' },
  { re: `yo (?:tambien|igual|tampoco)`, lang: 'es', strength: 'strong' },
  { re: `(?:a mi )?(?:tambien )?me (?:pasa|ocurre|sucede|esta pasando)(?: exactamente)? (?:lo mismo|igual|tambien)`, lang: 'es', strength: 'strong' },
  { re: `(?:tambien )?(?:tengo|tenemos|estoy teniendo) (?:el|la|exactamente el|exactamente la) mism[oa] (?:problema|error|fallo|duda|pregunta|bug)`, lang: 'es', strength: 'strong' },
  { re: `(?:tuve|tuvimos) (?:el|la) mism[oa] (?:problema|error|fallo|duda|pregunta|bug)`, lang: 'es', strength: 'strong', past: true },
  { re: `(?:el |la )?mism[oa] (?:problema|error|fallo|duda|pregunta|bug|cosa)(?: aqui| aca| por aqui| por aca| para mi)?`, lang: 'es', strength: 'strong' },
  { re: `lo mismo(?: aqui| aca| por aqui| por aca| me pasa| para mi| digo)?`, lang: 'es', strength: 'weak' },
  { re: `igual(?: aqui| aca| por aqui| por aca| yo| para mi)?`, lang: 'es', strength: 'weak' },
  { re: `tambien me (?:pasa|ocurre|sucede)`, lang: 'es', strength: 'strong' },
  { re: `x2`, lang: 'es', strength: 'weak' },
  // French.
  { re: `moi (?:aussi|de meme|pareil|non plus|egalement)`, lang: 'fr', strength: 'strong' },
  { re: `pareil(?: pour moi| ici| chez moi| de mon cote| de notre cote)?`, lang: 'fr', strength: 'weak' },
  { re: `(?:jai|j ai|on a|nous avons|nous avons aussi|jai aussi|on a aussi) (?:exactement )?(?:le|la) meme (?:probleme|souci|bug|erreur|question|chose)`, lang: 'fr', strength: 'strong' },
  { re: `(?:le |la )?meme (?:probleme|souci|bug|erreur|question|chose)(?: ici| pour moi| chez moi| de mon cote)?`, lang: 'fr', strength: 'strong' },
  { re: `(?:ca|cela) (?:marrive|me fait|nous arrive|narrive) (?:aussi|pareil|egalement|la meme chose)`, lang: 'fr', strength: 'strong' },
  { re: `chez moi (?:aussi|pareil|egalement)`, lang: 'fr', strength: 'strong' },
  { re: `je confirme`, lang: 'fr', strength: 'strong' },
  { re: `idem`, lang: 'fr', strength: 'weak' },
  // German.
  { re: `ich (?:auch|ebenfalls|auch nicht)`, lang: 'de', strength: 'strong' },
  { re: `(?:bei mir|bei uns|hier) (?:auch|ebenfalls|genauso|ebenso|das gleiche|dasselbe|gleich)(?: so)?`, lang: 'de', strength: 'strong' },
  { re: `(?:geht mir|gehts mir|geht uns) (?:genauso|auch so|ebenso|gleich)`, lang: 'de', strength: 'strong' },
  { re: `(?:ich habe|ich hab|hab|habe|wir haben|ich hatte|hatte) (?:auch )?(?:das gleiche|dasselbe|das selbe|den gleichen|den selben|denselben|die gleiche|dieselbe|die selbe|genau das gleiche|genau dasselbe) (?:problem|fehler|thema|frage)`, lang: 'de', strength: 'strong' },
  { re: `(?:gleiches|selbes|dasselbe|das gleiche|das selbe|gleicher|selber|der gleiche|die gleiche|gleiche) (?:problem|fehler|thema|frage)(?: hier| bei mir| bei uns)?`, lang: 'de', strength: 'strong' },
  { re: `kann ich (?:bestatigen|bestaetigen)`, lang: 'de', strength: 'strong' },
  { re: `same hier`, lang: 'de', strength: 'strong' },
  // Portuguese.
  { re: `(?:eu|comigo|aqui|aki|pra mim|para mim|com a gente) (?:tambem|tb|igual)(?: nao)?`, lang: 'pt', strength: 'strong' },
  { re: `nem eu`, lang: 'pt', strength: 'strong' },
  { re: `(?:tambem )?(?:tenho|temos|estou com|to com|estamos com) (?:o|a|exatamente o|exatamente a) mesm[oa] (?:problema|erro|bug|duvida|pergunta)`, lang: 'pt', strength: 'strong' },
  { re: `(?:o |a )?mesm[oa] (?:problema|erro|bug|duvida|pergunta|coisa)(?: aqui| comigo| pra mim)?`, lang: 'pt', strength: 'strong' },
  { re: `(?:(?:ta|esta|isso esta|isso ta) )?(?:acontecendo|acontece) (?:comigo|com a gente|aqui) tambem`, lang: 'pt', strength: 'strong' },
  { re: `tambem(?: aqui| comigo)?`, lang: 'pt', strength: 'weak' },
  { re: `tambien(?: aqui)?`, lang: 'es', strength: 'weak' },
  // Italian and Dutch (a few common forms).
  { re: `anche (?:io|a me|per me|qui)`, lang: 'it', strength: 'strong' },
  { re: `(?:lo )?stesso (?:problema|errore)(?: qui| anche io| anche a me)?`, lang: 'it', strength: 'strong' },
  { re: `(?:ik|hier|bij mij) ook`, lang: 'nl', strength: 'strong' },
  { re: `(?:het )?(?:zelfde|hetzelfde) (?:probleem|issue|fout)(?: hier)?`, lang: 'nl', strength: 'strong' },
  // Emoji on their own (👍 ➕ 🙋, any number, any skin tone).
  { re: `(?:👍|➕|🙋)(?: (?:👍|➕|🙋))*`, lang: 'emoji', strength: 'weak' },
];

/** Words that may open a message before the phrase ("yeah same", "ugh, me too"). */
const LEAD =
  '(?:absolutely|totally|omg+|awesome|cool|nice|great|aw|aww|man|dude|bro|geez|jeez|yikes|ikr|gosh|god|agreed|right|yeah|yea|yes|yep|yup|ya|yah|ye|ugh|argh|omg|wow|oh|ohh|no|ok|okay|hmm|damn|dang|lol|lmao|haha|hah|hey|hi|hello|so|well|honestly|literally|sadly|unfortunately|folks|guys|all|everyone|team|yall|fwiw|ah|ahh|oof|ouch|welp|indeed|true|si|oui|ja|sim|jep|ouais|vale|nossa|bah|ay|buf|mist|leider|pois|uff|looks like|seems like|i think|i guess|i feel like|apparently|can confirm|confirmed|exactly|lmk|hmmm|sigh|~|,)';
const LEAD_RE = new RegExp(`^${LEAD}(?= |$)`, 'u');
/** At most this many lead-in tokens are skipped, and a phrase is looked for in this many tokens. */
const MAX_LEADS = 8;
const HEAD_WINDOW = 24;

const COMPILED = PHRASES.map((p) => ({ ...p, regex: new RegExp(`^(?:${p.re})(?= |$)`, 'u') }));
/**
 * All phrases in one regex: it matches exactly when at least one of them does (each
 * alternative is tried with backtracking, like its own regex). Nearly every message says no
 * same-here at all, and one pass of this gate replaces a pass of every phrase.
 */
const ANY_PHRASE = new RegExp(`^(?:${PHRASES.map((p) => `(?:${p.re})`).join('|')})(?= |$)`, 'u');

/** Words that may directly follow a bare phrase without a pause ("same here lol", "+1 from me"). */
const CONTINUE = new Set(
  'here there too also as well lol lmao haha hah unfortunately sadly again today now rn right on for with since but and though tbh honestly x sigh ugh pls please plz any same exactly indeed yes yep yeah from this that it im ive my ~ 👍 ➕ 🙋 +1 aqui aca tambien tambem pero mais aber mas y et und e ici hier pour chez bei auch aussi comigo desde depuis seit after when while using in bro dude man mate fam actually literally omg omgg girl sis lady ladies guys fr lmfao hahaha ahaha ahahaha hahahaha hehe xd except every everyday daily always anytime constantly often sometimes'.split(' '),
);

/** "... and no problems", "... but it works fine": what follows the phrase contrasts the outcomes. */
const CONTRAST = /^(?:, )?(?:[a-z0-9]+ ){0,3}(?:and|but|yet) (?:(?:i|it|mine|its|ours|we)(?: (?:have|ve|had|has|is|s|was|am|m))? )?(?:(?:never|no|not|zero|havent|hasnt|didnt|dont|doesnt|not had|never had|had no|have no|ve had no) )+(?:had |have |any |a |got )*(?:problems?|issues?|trouble|complaints?)\b|^(?:, )?(?:[a-z0-9]+ ){0,3}(?:and|but) (?:(?:it|mine|its|ours) )?(?:works?|working|runs?|running) (?:fine|great|perfectly|well)\b(?! (?:now|again|after|since))/;

/** Subjects that open a new clause run on after a bare "same" or "me too". */
const RUN_ON = new Set(['i', 'he', 'she', 'they', 'we', 'hes', 'shes', 'theyre']);

/** A remainder made only of these is still a pure same-here ("same here, any update?"). */
const FILLER = new Set(
  (
    'here there too also as well lol lmao haha hah unfortunately sadly again today now rn right tbh honestly x sigh ugh pls please plz any same exactly indeed yes yep yeah ' +
    'update updates news eta fix fixes solution solutions workaround idea ideas progress word help following subscribed subscribing watching bump bumping ' +
    'this that it me us my mine our we i the a an on for with from since of in at to is are was its it is so very really super just still also totally ' +
    'annoying frustrating weird strange crazy mad bad sucks terrible awful sad painful ' +
    'aqui aca tambien tambem ici aussi hier auch comigo moi ich yo eu'
  ).split(' '),
);

const STOP = new Set(
  (
    'a an the and or but if so of to in on at by for with from as is are was were be been being am i me my we us our you your it its this that these those there here ' +
    'have has had do does did not no yes can could would should will just also too very really then than when what which who how why where any some all ' +
    'el la los las un una y o de del en con por para que es son lo le les des du et ou est sont pour avec dans der die das und oder ist sind mit fur von zu o os as um uma e do da em com para que'
  ).split(' '),
);

/** Markers that a message answers or explains, not only reports. */
const ANSWER =
  /\b(?:fixed|fix (?:was|is|it|for)|the fix|a fix|found a fix|fixes it|to fix|solved|resolved|solution|workaround|work around|worked for me|works for me now|what worked|turns out|turned out|try|tried|trying|you (?:need|have|can|should|must)|just (?:run|set|use|restart|update|clear|delete|install|add|remove|disable|enable|change)|restart(?:ing|ed)?|clear(?:ing|ed)? (?:the |your |my )?(?:cache|cookies)|reinstall(?:ing|ed)?|downgrad\w*|rolled back|roll back|rollback|set (?:\w+ )?to|lo (?:solucione|arregle)|solucion\w*|arregl\w*|resolu\w*|corrig\w*|contournement|geloest|gelost|losung|behoben|resolvi|consegui resolver|funcionou)\b/;

/** Thanks / acknowledgements: "👍 thanks, that worked" is not a same-here. */
const THANKS = /^(?:thanks|thank|thx|ty|tysm|cheers|ok|okay|got it|gotcha|cool|great|nice|perfect|awesome|will do|sounds good|noted|done|worked|it worked|that worked|gracias|merci|danke|obrigad[oa]|valeu|perfecto|parfait|super)\b/;

/** "+1 to / for / on <these>" still reports the same problem; anything else endorses an opinion. */
const PLUS_ONE_SAME_TARGETS = new Set(['this', 'that', 'it', 'me', 'here', 'above', 'the', 'same', 'op', 'you', 'u', 'your', 'ur']);
const PLUS_ONE_SAME_AFTER_THE = new Set(['same', 'above', 'op', 'issue', 'problem', 'question', 'bug', 'error']);

/** "same issue as <these>" compares with a person's report (still a same-here); anything else is a reference. */
const AS_PEOPLE = new Set(['you', 'u', 'op', 'them', 'him', 'her', 'everyone', 'others', 'above', 'well', 'the', 'everybody', 'most', 'many', 'others', 'other', 'ur', 'your', 'yours', 'mentioned', 'described', 'reported']);

const NOT_SAME_HERE = (reason: string, carriesContent = false): SameHereRecognition => ({
  sameHere: false,
  carriesContent,
  strength: null,
  language: null,
  phrase: null,
  reason,
});

function significant(tokens: string[]): string[] {
  return tokens.filter((t) => /[\p{L}\p{N}]/u.test(t) && t.length >= 3 && !FILLER.has(t) && !STOP.has(t));
}

export interface SameHereOptions {
  /** The message this one answers (explicit reply, thread parent, or the question it would validate). */
  parent?: string | null;
  /** The community's threshold for the learned model (default: the model's own). */
  threshold?: number | null;
}

/**
 * A same-here says it is shared: the model reads only messages with a word that can say so
 * ("too", "also", "same", "me", "mine", "either", "+1", "relatable", ...). Without one, "my wifi
 * keeps dropping" is a report of its own, however much it looks like the ones it echoes.
 */
const SHARING_CUE =
  /\b(?:same|too|also|either|neither|aswell|as well|ditto|me|mine|ours|us|we|relat\w*|boat|club|alone|just me|not only|happens|happening|happened|\+1|tambien|aussi|auch|tambem|anche|ook|igual|pareil|gleiche?)\b|\+1|➕|🙋|👍/u;

/** Longest message the same-here model reads (about 50 words). */
export const MODEL_MAX_CHARS = 280;

/** Verdicts that encode policy, not vocabulary: the learned model never overrules them. */
const POLICY_REASONS = /asked, not stated|endorsement|comparison|contrasting|acknowledgement|not the author saying|greeting|negated|a request|follow-up/;

/**
 * Recognise a same-here message. Total: any string in, a verdict out. The phrase rules speak
 * first; where they found no same-here phrase (or only a bare word they could not place), the
 * learned model — trained on hand-labelled real chat, reading the message and the one it
 * answers — may still recognise one ("ugh same thing on my laptop since the update").
 */
export function recognizeSameHere(text: string, options: SameHereOptions = {}): SameHereRecognition {
  const byRules = recognizeByRules(text);
  if (byRules.sameHere || POLICY_REASONS.test(byRules.reason) || typeof text !== 'string' || !text.trim()) return byRules;
  // What the phrases missed: the model decides, knowing what the phrases concluded. A
  // same-here the phrases cannot place is a short reply; a long post is read by them alone.
  if (text.length > MODEL_MAX_CHARS || !SHARING_CUE.test(text.toLowerCase())) return byRules;
  if (!modelSays('sameHere', text, options.threshold, options.parent, sameHereRuleTags(byRules))) return byRules;
  const norm = normaliseText(text);
  const words = significant(norm.tokens);
  const answers = ANSWER.test(norm.tokens.join(' ')) || norm.hasCode || norm.hasLink;
  return {
    sameHere: true,
    carriesContent: answers || norm.truncated || words.length >= 8,
    strength: 'strong',
    language: null,
    phrase: null,
    reason: answers ? 'same-here (learned model) that also answers' : 'same-here (learned model)',
  };
}

/** The phrase rules' verdict as model features (training passes the same tags). */
export function sameHereRuleTags(byRules: SameHereRecognition): string[] {
  return [`rules:${byRules.sameHere ? byRules.strength : 'no'}`, `why:${byRules.reason.split(' ').slice(0, 3).join(' ')}`];
}

/** The phrase rules alone (what the model is told about). */
export function sameHereByRules(text: string): SameHereRecognition {
  return recognizeByRules(text);
}

function recognizeByRules(text: string): SameHereRecognition {
  if (typeof text !== 'string' || !text.trim()) return NOT_SAME_HERE('empty');
  const norm = normaliseText(text);
  const tokens = norm.tokens;
  if (tokens.length === 0) return NOT_SAME_HERE('no words');
  // (What phraseFrom and recogniseTail conclude when nothing matches.)
  const joined = joinTokens(tokens);
  if (!(PHRASE_GATE()?.test(joined.text) ?? true)) return NOT_SAME_HERE('no same-here phrase');

  let best = phraseFrom(tokens, joined, 0, false);
  let before: string[] = [];
  if (!best) {
    const tail = recogniseTail(tokens, joined.text, norm);
    if (tail.sameHere || tail.reason !== 'no same-here phrase') return tail;
    // "Thanks for the warning. I had the same problem.": an explicit phrase opening a later
    // sentence counts too (bare words such as "same" or "+1" only open a message).
    for (const sentence of [...norm.sentenceStarts.slice(0, MAX_SENTENCES), ...clauseStarts(tokens)]) {
      best = phraseFrom(tokens, joined, sentence, true);
      if (best) {
        before = tokens.slice(0, sentence);
        break;
      }
    }
    if (!best) return tail;
  }

  const remainder = tokens.slice(best.end);
  const next = remainder[0];
  const { phrase, head } = best;
  if (/(?:^| )still(?= |$)/.test(head)) return NOT_SAME_HERE('"still" the same: a follow-up, not a report');
  const verdict = (sameHere: boolean, carriesContent: boolean, reason: string): SameHereRecognition =>
    sameHere
      ? { sameHere, carriesContent, strength: phrase.strength, language: phrase.lang, phrase: head, reason }
      : NOT_SAME_HERE(reason, carriesContent);

  // "I have the same driver and no problems": the author's own experience differs.
  if (CONTRAST.test(remainder.slice(0, 10).join(' '))) return NOT_SAME_HERE('a contrasting outcome, not a same-here', true);
  if (next === '?') {
    // "same here?" / "me too?" ask; "same here?? any update" after a lone "?" still asks.
    return NOT_SAME_HERE('the phrase is asked, not stated', significant(remainder).length > 0);
  }
  if (/(?:^| )same(?: thing)?$/.test(head) && next === 'i' && OPINION_VERB.test(remainder[1] ?? '')) return NOT_SAME_HERE('an endorsement of an opinion ("same thing I thought"), not a same-here');
  const bare = phrase.strength === 'weak' || phrase.bare || /(?:^| )same$/.test(head);
  // "ME TOO HE IS MY FAVOURITE", "same i get it every morning": a new clause run on without a pause.
  const runsOn = RUN_ON.has(next ?? '') && /^(?:(?:exactly |the )?same|me (?:too|2|also|as well))$/.test(head);
  if (bare && next !== undefined && next !== ',' && !CONTINUE.has(next) && !runsOn) {
    // "I have the same name as you": two people's things compared, not a shared problem.
    if (/(?:^| )same$/.test(head) && remainder[1] === 'as') return NOT_SAME_HERE(`a comparison ("same ${next} as"), not a report`);
    return NOT_SAME_HERE(`"${head}" is followed by "${next}": not a report`);
  }
  if (/^(?:\+1|👍|➕|🙋)/u.test(head) && ['to', 'for', 'on'].includes(next ?? '')) {
    const object = remainder[1];
    const sameTarget = object !== undefined && PLUS_ONE_SAME_TARGETS.has(object) && (object !== 'the' || PLUS_ONE_SAME_AFTER_THE.has(remainder[2] ?? ''));
    if (!sameTarget) return NOT_SAME_HERE('an endorsement of an opinion or proposal, not a same-here', significant(remainder).length > 0);
  }
  if (next === 'as' && remainder[1] !== undefined && !AS_PEOPLE.has(remainder[1]) && !/^(?:same|the)$/.test(remainder[1])) {
    return NOT_SAME_HERE('a comparison with another problem, not a report', true);
  }
  if (phrase.lang === 'emoji' || head.startsWith('+1')) {
    const after = remainder.filter((t) => t !== ',' && t !== '~').join(' ');
    if (THANKS.test(after)) return NOT_SAME_HERE('an acknowledgement, not a same-here');
  }

  // An answer earlier in the message ("try X. I had the same problem") counts like one after.
  const restText = [...before, ...remainder].filter((t) => t !== ',').join(' ');
  const answers = ANSWER.test(restText) || norm.hasCode || norm.hasLink;
  const past = phrase.past || /^(?:happened|was|were|occurred)$/.test(next ?? '');
  // "I had the same problem, the fix was ...": sharing it and then the fix is still a same-here
  // (the poster hears they are not alone, and gets the answer). "The same thing happened
  // yesterday and the fix was ..." says nothing about the author: an answer only.
  if (answers && past && !FIRST_PERSON.test(head)) return NOT_SAME_HERE('an answer about a past problem, not the author saying they share it', true);
  if (answers && past) return verdict(true, true, 'had the same, and answers (fix, workaround, link or code)');
  if (answers) return verdict(true, true, 'same-here that also answers (fix, workaround, link or code)');
  const words = significant(remainder);
  const asks = remainder.includes('?') && words.length >= 3;
  if (norm.truncated || words.length >= 6 || asks) return verdict(true, true, 'same-here with new details or a question');
  return verdict(true, false, 'same-here');
}

/** "Same thing I thought / said": agreeing with an opinion. */
const OPINION_VERB = /^(?:thought|think|said|say|was|wanted|meant|figured|guessed|assumed)$/;

/** Later sentences searched for a phrase. */
const MAX_SENTENCES = 8;
const CLAUSE_OPENERS = new Set([',', 'and', 'but', 'so', 'because', 'cause', 'cuz', 'coz', 'though', 'plus', 'actually']);
const SUBJECTS = new Set(['i', 'im', 'ive', 'we', 'were', 'weve', 'its', 'thats']);

/**
 * Clauses the author opens with "I"/"we" after a pause or a conjunction ("I visited NYC and
 * I have the same feeling"): an explicit first-person phrase there counts like one opening a
 * sentence.
 */
function clauseStarts(tokens: string[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < tokens.length - 1 && out.length < MAX_SENTENCES; i++) {
    if (CLAUSE_OPENERS.has(tokens[i]!) && (SUBJECTS.has(tokens[i + 1]!) || (tokens[i + 1] === 'so' && SUBJECTS.has(tokens[i + 3] ?? '')))) out.push(i + 1);
  }
  return out;
}

interface Found {
  phrase: (typeof COMPILED)[number];
  head: string;
  end: number;
}

/**
 * The same-here phrase opening the tokens at `start`, after a few lead-in tokens ("yeah",
 * "ugh ,", an emoji, "can confirm"). In a later sentence (`explicitOnly`) only explicit
 * phrases count, and one without "I/we/me/my" must end its clause ("same problem here." but
 * not "the same thing applies to ...").
 */
/** Tokens joined with spaces, and where each starts in the join (one more: the join's length + 1). */
interface Joined {
  text: string;
  starts: number[];
}

function joinTokens(tokens: string[]): Joined {
  const text = tokens.join(' ');
  const starts = new Array<number>(tokens.length + 1);
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    starts[i] = at;
    at += tokens[i]!.length + 1;
  }
  starts[tokens.length] = at;
  return { text, starts };
}

function phraseFrom(tokens: string[], joined: Joined, from: number, explicitOnly: boolean): Found | null {
  let best: Found | null = null;
  let start = from;
  for (let leads = 0; leads <= MAX_LEADS && start < tokens.length; leads++) {
    // tokens.slice(start, start + HEAD_WINDOW).join(' '), cut from the join.
    const window = joined.text.slice(joined.starts[start], joined.starts[Math.min(start + HEAD_WINDOW, tokens.length)]! - 1);
    for (const phrase of ANY_PHRASE.test(window) ? COMPILED : []) {
      const m = phrase.regex.exec(window);
      if (!m) continue;
      const end = start + m[0].split(' ').length;
      if (explicitOnly) {
        // A bare word ("same", "me too") only as a whole sentence: "Same dude." / "Me too, I'd love that".
        const bare = phrase.strength !== 'strong' || phrase.bare;
        const closes = (i: number) => tokens[i] === undefined || tokens[i] === ',';
        if (bare && !closes(end) && !(SENTENCE_TAIL.has(tokens[end]!) && closes(end + 1))) continue;
        if (!bare && !FIRST_PERSON.test(m[0]) && ![undefined, ',', '?'].includes(tokens[end])) continue;
      }
      // Prefer the match reaching furthest; at equal reach the earlier (more specific) phrase wins.
      if (!best || end > best.end) best = { phrase, head: m[0], end };
    }
    const lead = LEAD_RE.exec(window);
    if (!lead) break;
    start += lead[0].split(' ').length;
  }
  return best;
}

/** Words that may close a bare sentence ("Same dude.", "Me too lol."). */
const SENTENCE_TAIL = new Set(['dude', 'bro', 'man', 'mate', 'lol', 'lmao', 'haha', 'too', 'here', 'honestly', 'tbh']);
const FIRST_PERSON = /(?:^| )(?:i|im|ive|id|me|my|mine|we|were|weve|us|our|ours)(?= |$)/;

/** "... here too", "... for me as well", "... same here" closing a short message. */
const TAIL = new RegExp(
  `(?:^| )(?:(?:here|for me|for us|on my end|on my side|on our end|with me|mine|to me) (?:too|as well|also)|same here|same for me|me too|(?:im|were|i|we)(?: m| am| re| are)? also (?:seeing|getting|having|experiencing|hitting|facing)(?: this| that| it)?)(?: (?:,|~|👍|➕|🙋|lol|unfortunately|sadly|again|now|today|rn))*$`,
  'u',
);
const MAX_TAIL_TOKENS = 16;

/**
 * Strings at least one of which every phrase (COMPILED) and the closing phrase (TAIL) needs,
 * derived from them: a phrase is only ever looked for in a part of the tokens joined with
 * spaces, and the closing phrase in all of them, so tokens whose join holds none of these
 * strings hold no phrase, opening, closing or in a later sentence (most messages).
 */
const PHRASE_GATE = lazyPrefilter([...COMPILED.map((p) => p.regex), TAIL]);
/** Verbs whose object "me" makes "... me too" a request: "add me too", "count me in ... me too". */
const REQUEST_VERB_BEFORE_ME =
  /(?:^| )(?:add|send|invite|ping|tag|dm|pm|count|include|notify|remind|cc|mention|email|message|text|call|sign|let|give|show|teach|tell|ask|save|pick|take|follow|subscribe|register|enroll|enrol|book|put|sign up|list|keep|join|hire|help|thank|pay)$/;

function recogniseTail(tokens: string[], joined: string, norm: ReturnType<typeof normaliseText>): SameHereRecognition {
  const words = tokens.filter((t) => t !== ',' && t !== '~');
  if (norm.truncated || words.length > MAX_TAIL_TOKENS || tokens.includes('?')) return NOT_SAME_HERE('no same-here phrase');
  const m = TAIL.exec(joined);
  if (!m) return NOT_SAME_HERE('no same-here phrase');
  const before = joined.slice(0, m.index);
  if (/(?:^| )(?:you|u|ya|yall|everyone|all|guys|folks)$/.test(before)) return NOT_SAME_HERE('a greeting, not a report');
  // "they should do the same here": the same action, not "same here".
  if (/(?:^| )the$/.test(before) && /^ ?same (?:here|for me)/.test(m[0])) return NOT_SAME_HERE('a comparison ("do the same here"), not a report');
  if (/\b(?:not|no|never|isnt|doesnt|dont|wasnt)\b/.test(before)) return NOT_SAME_HERE('negated');
  // "please add me too", "count me too": "me" is the object of a request, not a report.
  if (/^me too\b/.test(m[0].trim()) && REQUEST_VERB_BEFORE_ME.test(before)) return NOT_SAME_HERE('a request ("add me too"), not a report');
  const answers = ANSWER.test(before) || norm.hasCode || norm.hasLink;
  return {
    sameHere: true,
    carriesContent: answers,
    strength: 'strong',
    language: 'en',
    phrase: m[0].trim().replace(/[ ,~]+$/u, ''),
    reason: answers ? 'same-here (closing phrase) that also answers' : 'same-here (closing phrase)',
  };
}
