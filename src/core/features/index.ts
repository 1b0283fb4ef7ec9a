/**
 * The companion's features, in the order they see each event. A new feature is a folder
 * here with a class implementing `Feature`, one line in `Features` and one in `createFeatures`.
 */
import type { CoreContext, Feature } from '../context';
import { EscalationFeature } from './escalation';
import { SameHereFeature } from './same-here';
import { SignalsFeature } from './signals';
import { RelatedFeature } from './related';
import { WelcomeFeature } from './welcome';

export interface Features {
  escalation: EscalationFeature;
  sameHere: SameHereFeature;
  welcome: WelcomeFeature;
  /** Relationship signals: keep after any feature that fills messages.reply_to (links). */
  signals: SignalsFeature;
  /** Last: it respects what earlier features noted (stakes, answered). */
  related: RelatedFeature;
}

export function createFeatures(core: CoreContext): Features {
  return {
    // First, always: it sets notes.stakes / notes.answered (the stakes map and typed requests)
    // that features answering automatically read to stay silent when a human must lead.
    escalation: new EscalationFeature(core),
    sameHere: new SameHereFeature(core),
    welcome: new WelcomeFeature(core),
    signals: new SignalsFeature(core),
    related: new RelatedFeature(core),
  };
}

export function featureList(features: Features): Feature[] {
  return Object.values(features) as Feature[];
}
