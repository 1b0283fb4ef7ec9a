export { analyze, nameKey, sameName } from './analyze';
export { DEFAULT_WEIGHTS, DEFAULT_WINDOW, inferParent, type InferOptions, type Weights, type Window } from './infer';
export { ReplyLinker } from './linker';
export type { ThreadMessage } from './types';
