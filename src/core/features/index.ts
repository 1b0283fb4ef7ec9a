/**
 * The companion's features, in the order they see each event. A new feature is a folder
 * here with a class implementing `Feature`, one line in `Features` and one in `createFeatures`.
 */
import type { CoreContext, Feature } from '../context';
import { EscalationFeature } from './escalation';
import { RelatedFeature } from './related';
import { WelcomeFeature } from './welcome';

export interface Features {
  welcome: WelcomeFeature;
  escalation: EscalationFeature;
  /** Last: it respects what earlier features noted (stakes, answered). */
  related: RelatedFeature;
}

export function createFeatures(core: CoreContext): Features {
  return {
    welcome: new WelcomeFeature(core),
    escalation: new EscalationFeature(core),
    related: new RelatedFeature(core),
  };
}

export function featureList(features: Features): Feature[] {
  return Object.values(features) as Feature[];
}
