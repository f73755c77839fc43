/**
 * The browser host delivers notifications itself (issue 5: "nothing is lost
 * across a station restart or a receiver outage"): a host process with
 * `notifications` in config.json sends each change to a test IDPRS receiver
 * without `station outbox deliver`; a change made while the receiver is down
 * (host running) and one made while the host is stopped both arrive, each
 * exactly once, after the host restarts with the receiver up. Uses --no-pcsc
 * (the in-process training reader): no vpcd reader is claimed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Channel, ChannelInput, ChannelOutput, OutboxEventView, StationBridge } from '../../electron/contract/station-api.js';
import { openStationRoot } from '../../electron/boot/open-station.js';
import { TrainingReaderProvider } from '../../native/virtual-card/training-reader.js';
import { openBridge } from '../support/e2e-bridge.js';
import { prepareNotifyingDataDir } from '../support/notifying-station.js';
import { orderViolations, startIdprsReceiver, type IdprsReceiver } from '../support/idprs-receiver.js';
import { trackChild } from '../support/station-cli.js';
import { TEST_OFFICER } from '../support/training-station.js';
import { makeStaticDir } from '../unit/host/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const HOST_MAIN = join(ROOT, 'electron/host/main.ts');
const SECRET = 'host notifications test secret shared with the IDPRS';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface HostProcess {
  url: string;
  stderr(): string;
  /** SIGTERM and the exit code. */
  stop(): Promise<number | null>;
}

async function startHost(dataDir: string, rendererDir: string): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST_MAIN, '--data-dir', dataDir, '--training', '--no-pcsc'], {
    cwd: ROOT,
    env: { ...process.env, STATION_RENDERER_DIR: rendererDir },
  }) as ChildProcessWithoutNullStreams;
  trackChild(child);
  child.stdin.on('error', () => {});
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  cleanups.push(() => void child.kill('SIGKILL'));
  for (;;) {
    const line = stdout.split('\n').find((l) => l.startsWith('PIV Station browser host: '));
    if (line) {
      return {
        url: line.slice('PIV Station browser host: '.length),
        stderr: () => stderr,
        async stop() {
          child.kill('SIGTERM');
          return exited;
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`host exited ${child.exitCode}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Calls a channel over the bridge; throws with the core's sentence on a failed Result. */
async function call<C extends Channel>(bridge: StationBridge, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = await bridge.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** A logged-in bridge connection to the host. */
async function officerBridge(host: HostProcess): Promise<StationBridge> {
  const { bridge, close } = openBridge(host.url);
  cleanups.push(close);
  await call(bridge, 'auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password });
  return bridge;
}

/** A new person and a request for them; the request rejected when `reject` (two notifications, else one). */
async function requestChange(bridge: StationBridge, surname: string, reject: boolean): Promise<string> {
  const person = await call(bridge, 'persons.add', { givenName: 'Nora', surname, affiliation: 'employee' });
  const request = await call(bridge, 'requests.create', { personId: person.id, profile: 'employee' });
  if (reject) await call(bridge, 'requests.reject', { requestId: request.id, reason: 'Sponsor letter missing.' });
  return request.id;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('browser host with notifications configured', () => {
  test('delivers changes itself; a receiver outage and a host restart lose nothing and send nothing twice', async () => {
    const receiver: IdprsReceiver = await startIdprsReceiver(new TextEncoder().encode(SECRET));
    cleanups.push(() => receiver.close());
    const statics = makeStaticDir();
    cleanups.push(statics.cleanup);
    const dataDir = mkdtempSync(join(tmpdir(), 'piv-host-notify-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // The administrator's one-off setup: config.json, the shared secret sealed, an officer; short back-off.
    await prepareNotifyingDataDir(dataDir, { url: receiver.url, secret: SECRET, policy: { baseDelayMs: 100, maxDelayMs: 500 }, officer: true });

    // 1. The host delivers as changes happen.
    let host = await startHost(dataDir, statics.dir);
    let bridge = await officerBridge(host);
    const first = await requestChange(bridge, 'First', true);
    await receiver.waitForEvents(2, 30_000);
    expect(receiver.events.map((e) => [e.type, e.request?.id])).toEqual([
      ['request.created', first],
      ['request.rejected', first],
    ]);

    // 2. The receiver goes down: the host keeps trying (and says so on stderr), the event stays pending.
    await receiver.down();
    const duringOutage = await requestChange(bridge, 'Outage', false);
    await until('a failed attempt of the outage event', async () => {
      const pending = await call(bridge, 'outbox.list', { status: 'pending' });
      return pending.events.some((e: OutboxEventView) => e.requestId === duringOutage && e.attempts >= 1 && e.lastError !== null);
    });
    expect(host.stderr()).toMatch(/notification request\.created person:\S+ #1 \(attempt \d+\) not delivered: The IDPRS could not be reached/);
    expect(host.stderr()).not.toContain(SECRET);

    // 3. The host stops cleanly; a change made while it is stopped waits in the outbox.
    expect(await host.stop()).toBe(0);
    const offline = await openStationRoot({ dataDir, training: true, readers: new TrainingReaderProvider() });
    const core = offline.core();
    expect((await core.dispatch('auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })).ok).toBe(true);
    const added = await core.dispatch('persons.add', { givenName: 'Nora', surname: 'Offline', affiliation: 'employee' });
    const whileStopped = added.ok ? await core.dispatch('requests.create', { personId: (added.value as { id: string }).id, profile: 'employee' }) : added;
    expect(whileStopped.ok).toBe(true);
    await offline.close();
    expect(receiver.events).toHaveLength(2);

    // 4. The receiver is back and the host restarts: both events arrive, once each, in order.
    await receiver.up();
    host = await startHost(dataDir, statics.dir);
    bridge = await officerBridge(host);
    await receiver.waitForEvents(4, 60_000);
    const offlineRequestId = whileStopped.ok ? (whileStopped.value as { id: string }).id : '';
    expect(receiver.events.slice(2).map((e) => [e.type, e.request?.id]).sort()).toEqual(
      [
        ['request.created', duringOutage],
        ['request.created', offlineRequestId],
      ].sort(),
    );
    await until('the outbox to be empty', async () => (await call(bridge, 'outbox.list', { status: 'pending' })).total === 0);
    const delivered = await call(bridge, 'outbox.list', { status: 'delivered' });
    expect(delivered.total).toBe(4);
    expect(receiver.posts.filter((p) => p.duplicate)).toEqual([]);
    expect(receiver.posts.every((p) => p.signature === 'ok' && p.status === 200)).toBe(true);
    expect(new Set(receiver.posts.map((p) => p.eventId)).size).toBe(receiver.posts.length);
    expect(orderViolations(receiver.events)).toEqual([]);
    expect(await host.stop()).toBe(0);
  });
});
