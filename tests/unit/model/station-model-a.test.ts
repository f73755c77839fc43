/** The model-based suite, first half of `npm test`'s seeded sequences (the second runs in parallel: station-model-b). */
import { modelSuite } from './suite.js';

modelSuite('separation of duties and state machines (a)', 1010, 500);
