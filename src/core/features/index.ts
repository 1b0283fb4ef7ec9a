/**
 * The companion's features, in the order they see each event. A new feature is a folder
 * here with a class implementing `Feature`, one line in `Features` and one in `createFeatures`.
 *
 * Order matters:
 * 1. links: infers who answered whom, so later features see `notes.message.replyTo`;
 * 2. escalation: the stakes map and typed requests set `notes.stakes` / `notes.answered`,
 *    which every feature that answers automatically reads to stay silent when a human leads
 *    (a voice message's transcript is already its text then: see voice's `beforeHandle`);
 *    voice then posts the transcript, before any other feature answers;
 * 3. the rest record and respond; related (automatic suggestions) comes last.
 */
import type { CoreContext, Feature } from '../context';
import { AssistFeature } from './assist';
import { EmbeddingsFeature } from './embeddings';
import { EscalationFeature } from './escalation';
import { LinksFeature } from './links';
import { RelatedFeature } from './related';
import { RiskFeature } from './risk';
import { SameHereFeature } from './same-here';
import { SignalsFeature } from './signals';
import { TranslatorsFeature } from './translators';
import { VoiceFeature } from './voice';
import { WelcomeFeature } from './welcome';

export interface Features {
  links: LinksFeature;
  escalation: EscalationFeature;
  /** Voice messages and audio clips: transcripts on arrival (setting) and the Transcribe action. */
  voice: VoiceFeature;
  sameHere: SameHereFeature;
  welcome: WelcomeFeature;
  signals: SignalsFeature;
  /** Risk flags to moderators (AI or lexical), for their judgement. After the stakes map. */
  risk: RiskFeature;
  /** /summarize, /suggest-reply, /translate. */
  assist: AssistFeature;
  /** Volunteer translators named in translations, asked in rotation; `translated_for` signals. */
  translators: TranslatorsFeature;
  /** Discussion vectors and the hybrid ranker (`rerank`) for related discussions. */
  embeddings: EmbeddingsFeature;
  related: RelatedFeature;
}

export function createFeatures(core: CoreContext): Features {
  return {
    links: new LinksFeature(core),
    escalation: new EscalationFeature(core),
    voice: new VoiceFeature(core),
    sameHere: new SameHereFeature(core),
    welcome: new WelcomeFeature(core),
    signals: new SignalsFeature(core),
    risk: new RiskFeature(core),
    assist: new AssistFeature(core),
    translators: new TranslatorsFeature(core),
    embeddings: new EmbeddingsFeature(core),
    related: new RelatedFeature(core),
  };
}

export function featureList(features: Features): Feature[] {
  return Object.values(features) as Feature[];
}
