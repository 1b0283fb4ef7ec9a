/**
 * The stakes map: a fast, deterministic classifier that says whether a message is a moment
 * where a human must lead (outage, billing dispute, fraud or account security, data loss,
 * harassment or safety, distress, legal) and which classes it touches. Lexical patterns, plus
 * the small offline money model (src/core/models); it never calls an AI endpoint, and runs on
 * every message before any automated help is considered.
 */
import { modelSays } from '../models';
import { STAKES_CLASSES, matchingClasses, type StakesClass } from './classes';
import { normalizeForMatching } from './text';

export { STAKES_CLASSES, STAKES_CLASS_LABELS, isStakesClass, type StakesClass } from './classes';
export { wantsHuman } from './wants-human';
export { riskFlags, RISK_FLAGS, type RiskFlagName as RiskFlag } from '../risk/lexicon';
export { normalizeForMatching } from './text';

export interface StakesResult {
  level: 'high' | 'low';
  /** Matched classes, in the order of STAKES_CLASSES (distress first when present). */
  categories: StakesClass[];
}

/** Per-community thresholds of the learned parts (undefined: the model's default). */
export interface StakesThresholds {
  money?: number | null;
}

/** What the patterns alone say about money (for comparing with the combined recogniser). */
export function moneyPatterns(text: string): StakesClass[] {
  const normalized = normalizeForMatching(text ?? '');
  return matchingClasses(normalized, ['billing', 'fraud_security']);
}

/**
 * Money (or the card, account or phone that holds it) named in the message (an amount counts
 * with its currency: "10.04" is a release as often as a price): the model may only
 * find money lost, disputed or fraud where there is money to lose ("i didnt find it" or a boot
 * log is never a payment problem, however sure a model is).
 */
const MONEY_CUES =
  /[$£€¥]|\b(?:money|cash|pay\w*|paid|charg\w*|refund\w*|bank\w*|cards?|credit|debit\w*|account|acc|transactions?|transfer\w*|withdr[ae]\w*|atm|cheques?|checks?|deposit\w*|balance|statement|bill|billed|billing|bills|invoices?|subscriptions?|fees?|price|cost|costs|purchas\w*|bought|order\w*|wallet|phone|dollars?|euros?|pounds?|quid|bucks|usd|eur|gbp|crypto\w*|bitcoin|paypal|venmo|top(?:ped)?[- ]?up|exchange rate|funds?|salary|rent|loan|mortgage|cobr\w*|pag\w*|tarjeta|dinero|cuenta|reembolso|carte|paiement|argent|compte|rembours\w*|karte|zahlung|geld|konto|cartao|dinheiro|conta)\b/;

/** Words that make a money problem a security one rather than a billing one. */
const SECURITY_CUES = /\b(?:stol(?:e|en)|steal|theft|thief|lost|lose|missing|hack\w*|compromis\w*|fraud\w*|scam\w*|phish\w*|someone (?:else )?(?:used|has|took)|not me|wasn'?t me|without my (?:permission|knowledge)|skimm\w*|clon\w*|atm|cash machine|withdraw\w*)\b/;

/**
 * Classify one message. `enabled` limits which classes count (per-community configuration).
 * The lexical patterns decide every class; for money lost, disputed or fraud (billing,
 * fraud_security) a learned model trained on customer-service requests adds what the patterns
 * miss ("there's a charge on my statement I don't recognise").
 */
export function classifyStakes(text: string, enabled: readonly StakesClass[] = STAKES_CLASSES, thresholds: StakesThresholds = {}): StakesResult {
  const normalized = normalizeForMatching(text ?? '');
  if (!normalized) return { level: 'low', categories: [] };
  const categories = matchingClasses(normalized, enabled);
  // Money lost, disputed or fraud: what the patterns missed, the model may add, where the
  // message names money at all. A pattern's hit stands: the patterns also carry other
  // languages and account security, which the model does not know.
  const moneyEnabled = enabled.includes('billing') || enabled.includes('fraud_security');
  if (moneyEnabled && !categories.includes('billing') && !categories.includes('fraud_security') && MONEY_CUES.test(normalized) && modelSays('money', text, thresholds.money)) {
    const security = SECURITY_CUES.test(normalized) && enabled.includes('fraud_security');
    categories.push(security || !enabled.includes('billing') ? 'fraud_security' : 'billing');
    categories.sort((a, b) => STAKES_CLASSES.indexOf(a) - STAKES_CLASSES.indexOf(b));
  }
  // Distress outranks everything else: it decides how the member is answered.
  categories.sort((a, b) => Number(b === 'distress') - Number(a === 'distress'));
  return { level: categories.length ? 'high' : 'low', categories };
}
