/**
 * The station's rule book over a test's store and the default configuration (its profiles and
 * separation-of-duties settings), built as the composition root builds it (electron/boot/open-station.ts).
 */
import { DEFAULT_CONFIG } from '../../electron/core/config/station-config.js';
import { RuleBook } from '../../electron/core/policy/rule-book.js';
import type { StationStore } from '../../electron/core/store/store.js';
import { ProfileRegistry } from '../../electron/core/workflow/profile-registry.js';

/** A RuleBook deciding over `store`. */
export function storeRuleBook(store: StationStore): RuleBook {
  const config = DEFAULT_CONFIG;
  return new RuleBook({ store, config, profiles: new ProfileRegistry({ store, config }) });
}
