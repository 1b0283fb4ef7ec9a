/**
 * The companion's features, in the order they see each event. A new feature is a folder
 * here with a class implementing `Feature`, one line in `Features` and one in `createFeatures`.
 */
import type { CoreContext, Feature } from '../context';
import { EscalationFeature } from './escalation';
import { SameHereFeature } from './same-here';
import { SignalsFeature } from './signals';
import { WelcomeFeature } from './welcome';

export interface Features {
  welcome: WelcomeFeature;
  escalation: EscalationFeature;
  sameHere: SameHereFeature;
  /** Relationship signals: keep after any feature that fills messages.reply_to (links). */
  signals: SignalsFeature;
}

export function createFeatures(core: CoreContext): Features {
  return {
    welcome: new WelcomeFeature(core),
    escalation: new EscalationFeature(core),
    sameHere: new SameHereFeature(core),
    signals: new SignalsFeature(core),
  };
}

export function featureList(features: Features): Feature[] {
  return Object.values(features) as Feature[];
}
