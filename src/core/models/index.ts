/**
 * The models port: Hearth's learned recognisers (same here, wants a human, money lost or
 * disputed or fraud, distress). The core owns the runtime (features, linear scoring); the
 * weights are read from disk outside the core (src/models/load.ts) and installed here once
 * at start-up, so every caller (live features, history import, the classify CLI) scores with
 * the same models. Phrase rules that encode policy stay in their recognisers and are combined
 * with these scores there.
 */
import { contextFeatures, writeTextFeatures, type ExtractedFeatures } from './features';
import type { RecogniserName, Recognisers } from './weights';

export { RECOGNISERS, decodeWeights, type RecogniserName, type Recognisers } from './weights';

let installed: Recognisers | null = null;

export function installRecognisers(recognisers: Recognisers): void {
  installed = recognisers;
}

export function recognisersInstalled(): boolean {
  return installed !== null;
}

function current(): Recognisers {
  if (!installed) {
    throw new Error("Hearth's recogniser models are not loaded: call loadRecognisers() (src/models/load.ts) at start-up");
  }
  return installed;
}

/** The installed models' identity (Recognisers.identity). */
export function recognisersIdentity(): string {
  return current().identity;
}

/** The default decision threshold of a recogniser (chosen on the development split). */
export function defaultThreshold(name: RecogniserName): number {
  return current().thresholds[name];
}

// One message is scored by several features in turn (stakes, typed requests, same here,
// risk), each with its own tags and context: remember the last message's own-text features
// so they are extracted once, and add only the context per call. Both live in buffers reused
// from message to message (read at once by the model, never handed out).
let lastText: string | null = null;
let lastFeatures: ExtractedFeatures | null = null;
let context: ExtractedFeatures | null = null;

function ownFeatures(text: string): ExtractedFeatures {
  if (!lastFeatures || text !== lastText) {
    lastFeatures = writeTextFeatures(text, lastFeatures?.ids);
    lastText = text;
  }
  return lastFeatures;
}

/** The probability that `text` is what the recogniser looks for (`tags`: the phrase rules' verdict, for same-here). */
export function modelScore(name: RecogniserName, text: string, parent?: string | null, tags: readonly string[] = []): number {
  const model = current().models[name];
  const withParent = model.usesParent && !!parent;
  const own = ownFeatures(text ?? '');
  if (!withParent && tags.length === 0) return model.score(own, false);
  context = contextFeatures(withParent ? parent : null, tags, context?.ids);
  return model.scoreInContext(own, context, withParent);
}

/** Whether the recogniser fires, at the community's threshold or the default. */
export function modelSays(name: RecogniserName, text: string, threshold?: number | null, parent?: string | null, tags: readonly string[] = []): boolean {
  return modelScore(name, text, parent, tags) >= (threshold ?? defaultThreshold(name));
}
