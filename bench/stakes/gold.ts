/**
 * How public datasets map onto Hearth's stakes classes and risk flags (the gold standard the
 * scorer compares against). Every banking77 intent not listed here is low stakes.
 */
export const BANKING77_HIGH: Record<string, { primary: string; alsoAcceptable?: string[] }> = {
  transaction_charged_twice: { primary: 'billing' },
  card_payment_not_recognised: { primary: 'billing', alsoAcceptable: ['fraud_security'] },
  direct_debit_payment_not_recognised: { primary: 'billing', alsoAcceptable: ['fraud_security'] },
  cash_withdrawal_not_recognised: { primary: 'fraud_security', alsoAcceptable: ['billing'] },
  Refund_not_showing_up: { primary: 'billing' },
  wrong_amount_of_cash_received: { primary: 'billing' },
  compromised_card: { primary: 'fraud_security', alsoAcceptable: ['billing'] },
  lost_or_stolen_card: { primary: 'fraud_security' },
  lost_or_stolen_phone: { primary: 'fraud_security' },
};

/** GoEmotions labels (by name) that call for a risk flag. */
export const GOEMOTIONS_RISK: Record<string, string> = {
  anger: 'anger',
  disgust: 'anger',
  annoyance: 'frustration',
  fear: 'distress',
  grief: 'distress',
  nervousness: 'distress',
  sadness: 'distress',
};

export interface GoldLine {
  id: string;
  text: string;
  /** Source label (banking77 intent / GoEmotions labels), for error analysis. */
  source: string;
  stakes?: 'high' | 'low';
  /** Acceptable stakes classes; the first is the primary one. */
  classes?: string[];
  risk?: string[];
}
