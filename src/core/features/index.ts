/**
 * The companion's features, in the order they see each event. A new feature is a folder
 * here with a class implementing `Feature`, one line in `Features` and one in `createFeatures`.
 */
import type { CoreContext, Feature } from '../context';
import { EscalationFeature } from './escalation';
import { LinksFeature } from './links';
import { WelcomeFeature } from './welcome';

export interface Features {
  /** First: later features see the inferred `notes.message.replyTo`. */
  links: LinksFeature;
  welcome: WelcomeFeature;
  escalation: EscalationFeature;
}

export function createFeatures(core: CoreContext): Features {
  return {
    links: new LinksFeature(core),
    welcome: new WelcomeFeature(core),
    escalation: new EscalationFeature(core),
  };
}

export function featureList(features: Features): Feature[] {
  return Object.values(features) as Feature[];
}
