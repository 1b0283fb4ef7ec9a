/** Side-effect import for scripts (benchmarks): load the committed recogniser weights once. */
import { loadRecognisers } from './load';

loadRecognisers();
