/**
 * The companion's features, in the order they see each event. A new feature is a folder
 * here with a class implementing `Feature`, one line in `Features` and one in `createFeatures`.
 */
import type { CoreContext, Feature } from '../context';
import { AssistFeature } from './assist';
import { EmbeddingsFeature } from './embeddings';
import { EscalationFeature } from './escalation';
import { RiskFeature } from './risk';
import { SameHereFeature } from './same-here';
import { WelcomeFeature } from './welcome';

export interface Features {
  welcome: WelcomeFeature;
  escalation: EscalationFeature;
  sameHere: SameHereFeature;
  /** Risk flags to moderators (AI or lexical). After the stakes classification. */
  risk: RiskFeature;
  /** /summarize, /suggest-reply, /translate. */
  assist: AssistFeature;
  /** Discussion vectors and the hybrid ranker (`rerank`) for related discussions. */
  embeddings: EmbeddingsFeature;
}

export function createFeatures(core: CoreContext): Features {
  return {
    welcome: new WelcomeFeature(core),
    escalation: new EscalationFeature(core),
    sameHere: new SameHereFeature(core),
    risk: new RiskFeature(core),
    assist: new AssistFeature(core),
    embeddings: new EmbeddingsFeature(core),
  };
}

export function featureList(features: Features): Feature[] {
  return Object.values(features) as Feature[];
}
