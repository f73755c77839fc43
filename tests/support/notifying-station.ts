/**
 * A data dir whose station delivers notifications (issue 5) to a test IDPRS
 * receiver: config.json with `notifications` (fast polling, short back-off),
 * the shared secret sealed as `station outbox secret set` does, and
 * optionally the all-roles test officer. For tests that start a station face
 * (the browser host) on it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStationRoot } from '../../electron/boot/open-station.js';
import { DEFAULT_CONFIG } from '../../electron/core/config/station-config.js';
import type { DeliveryPolicy } from '../../electron/core/notifications/config.js';
import { setNotificationSecret } from '../../electron/core/notifications/secret.js';
import { ROLES } from '../../electron/core/workflow/types.js';
import { TrainingReaderProvider } from '../../native/virtual-card/training-reader.js';
import { TEST_OFFICER } from './training-station.js';

/**
 * Prepares the training data dir `dataDir` (which must exist) for delivery to `url`.
 * @param policy delivery settings over the defaults (poll every 200 ms unless given)
 */
export async function prepareNotifyingDataDir(dataDir: string, opts: { url: string; secret: string; policy?: Partial<DeliveryPolicy>; officer?: boolean }): Promise<void> {
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, notifications: { url: opts.url, pollIntervalMs: 200, ...opts.policy } }));
  const station = await openStationRoot({ dataDir, training: true, readers: new TrainingReaderProvider() });
  try {
    setNotificationSecret(station.store, station.keyring.box, opts.secret);
    if (opts.officer) await station.officers.add({ ...TEST_OFFICER, roles: [...ROLES] }, { kind: 'anonymous' });
  } finally {
    await station.close();
  }
}
