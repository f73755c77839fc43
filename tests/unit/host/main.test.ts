/**
 * The browser host's main() in process (electron/host/main.ts): with
 * `notifications` configured it delivers the outbox while it runs, without
 * `station outbox deliver`, and on SIGTERM stops the worker (releasing the
 * delivery lease) before closing the station, exit code 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, URL_LINE_PREFIX } from '../../../electron/host/main.js';
import { deliveryLease } from '../../../electron/core/notifications/lease.js';
import { outboxRepository, recordNotification } from '../../../electron/core/notifications/outbox.js';
import { openStore } from '../../../electron/core/store/store.js';
import { openDatabase } from '../../../native/sqlite.js';
import { startIdprsReceiver, type IdprsReceiver } from '../../support/idprs-receiver.js';
import { ADA } from '../core/store/helpers.js';
import { makeStaticDir } from './helpers.js';
import { prepareNotifyingDataDir } from '../../support/notifying-station.js';

const SECRET = 'host main unit test secret for the IDPRS';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});

describe('host main()', () => {
  it('delivers the outbox while it runs and gives the lease up on SIGTERM', async () => {
    const receiver: IdprsReceiver = await startIdprsReceiver(new TextEncoder().encode(SECRET));
    cleanups.push(() => receiver.close());
    const statics = makeStaticDir();
    cleanups.push(statics.cleanup);
    const dataDir = mkdtempSync(join(tmpdir(), 'host-main-unit-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    await prepareNotifyingDataDir(dataDir, { url: receiver.url, secret: SECRET, policy: { pollIntervalMs: 50 } });
    vi.stubEnv('STATION_RENDERER_DIR', statics.dir);
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });

    const running = main(['--data-dir', dataDir, '--training', '--no-pcsc']);
    await vi.waitFor(() => expect(printed.join('')).toContain(URL_LINE_PREFIX), { timeout: 20_000 });
    // A change written by another process (the CLI, say): the host's worker finds it at its next poll.
    const other = openStore(openDatabase(join(dataDir, 'station.sqlite')));
    cleanups.push(() => other.db.close());
    const ada = other.persons.add(ADA);
    const event = other.transaction(() => recordNotification(other, { type: 'request.created', personId: ada.id }));
    await receiver.waitForEvents(1, 20_000);
    expect(receiver.events.map((e) => e.id)).toEqual([event.id]);
    await vi.waitFor(() => expect(outboxRepository(other.db).get(event.id)?.status).toBe('delivered'));
    expect(deliveryLease(other.db, 1_000, 'observer').current()?.holder).toMatch(/^pid \d+ /);

    process.emit('SIGTERM');
    expect(await running).toBe(0);
    expect(deliveryLease(other.db, 1_000, 'observer').current()).toBeUndefined();
  });
});
