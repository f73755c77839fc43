/** The model-based suite, second half of `npm test`'s seeded sequences (see station-model-a). */
import { modelSuite } from './suite.js';

modelSuite('separation of duties and state machines (b)', 2020, 500);
