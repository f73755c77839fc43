/**
 * `station outbox …` as child processes (issue 5 "Tests"):
 * - a `station outbox deliver` killed with SIGKILL mid-delivery loses nothing:
 *   started again, it sends what was in flight (the receiver drops the
 *   duplicate by event id) and the rest, in order per stream;
 * - dead letters: refused events are listed by `outbox list --dead` and sent
 *   again after `outbox redeliver ID` / `--all-dead`;
 * - only admin/security officers may use the outbox.
 */
import { trackChild } from '../support/station-cli.js';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openStationRoot } from '../../electron/boot/open-station.js';
import { DEFAULT_CONFIG } from '../../electron/core/config/station-config.js';
import { outboxRepository, type OutboxRepository } from '../../electron/core/notifications/outbox.js';
import type { Caller } from '../../electron/core/workflow/types.js';
import { openDatabase } from '../../native/sqlite.js';
import { orderViolations, startIdprsReceiver, type IdprsReceiver } from '../support/idprs-receiver.js';
import { ROOT } from '../support/station-cli.js';

const SECRET = 'cli test secret shared with the IDPRS';
const PASSWORD = 'a long enough passphrase';
const CLI = join(ROOT, 'electron', 'cli', 'main.ts');
/** Four events per person (see makeEvents). */
const EVENTS_PER_PERSON = 4;

let dataDir: string;
let receiver: IdprsReceiver | undefined;
const children: ChildProcess[] = [];
const savedEnv = { ...process.env };

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'piv-station-outbox-'));
  process.env.STATION_PASSWORD = PASSWORD;
  process.env.STATION_NOTIFY_SECRET = SECRET;
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await receiver?.close();
  receiver = undefined;
  process.env = { ...savedEnv };
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(what: string, cond: () => boolean, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A data dir whose config points at the receiver, with officers and `persons` × 4 events in the outbox. */
async function prepare(url: string, persons: number): Promise<void> {
  const notifications = { url, requestTimeoutMs: 1_000, baseDelayMs: 50, maxDelayMs: 300, pollIntervalMs: 100, concurrency: 4, maxAttempts: 1_000 };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, notifications }, null, 2));
  const s = await openStationRoot({ dataDir, training: true });
  try {
    const admin = await s.officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
    const asAdmin: Caller = { kind: 'officer', officer: admin, sessionId: 'setup' };
    const registrar: Caller = { kind: 'officer', officer: await s.officers.add({ username: 'registrar', displayName: 'R', password: PASSWORD, roles: ['registration'] }, asAdmin), sessionId: 'r' };
    const approver: Caller = { kind: 'officer', officer: await s.officers.add({ username: 'approver', displayName: 'A', password: PASSWORD, roles: ['approver'] }, asAdmin), sessionId: 'a' };
    for (let i = 0; i < persons; i++) {
      const personId = s.store.persons.add({ givenName: 'Kim', surname: `Outbox${i}`, affiliation: 'employee', employeeId: `OB-${i}` }).id;
      const r = s.requests.create({ personId, profile: 'employee' }, registrar);
      s.requests.reject(r.id, 'Sponsor letter missing.', approver);
      // A visitor card for an employee needs an approver (the rule book): created + approved.
      s.requests.approve(s.requests.create({ personId, profile: 'visitor' }, registrar).id, approver);
    }
  } finally {
    await s.close();
  }
}

/** `station … --as admin outbox deliver --json`, running until killed. */
function startDeliver(): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--data-dir', dataDir, '--training', '--as', 'admin', 'outbox', 'deliver', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  trackChild(child);
  children.push(child);
  child.stdout!.resume();
  child.stderr!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

/** Runs `station --data-dir DIR --training ARGS…` to its end (stdin closed, never throws). */
function station(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', CLI, '--data-dir', dir, '--training', ...args], { timeout: 120_000, env: process.env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end();
  });
}

/** Reads the outbox through its own connection (the CLI writes it concurrently). */
function withOutbox<T>(fn: (o: OutboxRepository) => T): T {
  const db = openDatabase(join(dataDir, 'station.sqlite'));
  try {
    return fn(outboxRepository(db));
  } finally {
    db.close();
  }
}

async function admin(args: string[], expectCode = 0): Promise<Record<string, unknown>> {
  const r = await station(dataDir, ['--as', 'admin', ...args, '--json']);
  if (r.code !== expectCode) throw new Error(`station ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('station outbox', () => {
  test('deliver killed with SIGKILL mid-delivery loses nothing; started again it sends everything once after dedup, in order', async () => {
    receiver = await startIdprsReceiver(new TextEncoder().encode(SECRET));
    const persons = 10;
    const total = persons * EVENTS_PER_PERSON;
    await prepare(receiver.url, persons);
    await admin(['outbox', 'secret', 'set']);

    // Slow answers: at any moment some events have reached the IDPRS but are not yet marked delivered.
    receiver.mode = 'slow';
    receiver.slowMs = 400;
    const first = startDeliver();
    // Killed as the 8th event arrives: its answer (400 ms later) never reaches the station.
    await receiver.waitForEvents(8);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const afterKill = withOutbox((o) => ({ counts: o.counts(), pending: o.list({ status: 'pending' }) }));
    expect(afterKill.counts.delivered + afterKill.counts.pending).toBe(total);
    expect(afterKill.counts.pending).toBeGreaterThan(0);
    // The event that reached the receiver just before the kill is still pending, its attempt counted: it was in flight.
    const inFlight = afterKill.pending.filter((e) => receiver!.events.some((r) => r.id === e.id));
    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.every((e) => e.attempts >= 1)).toBe(true);

    receiver.mode = 'up';
    const second = startDeliver();
    await until('every event delivered', () => withOutbox((o) => o.counts().delivered) === total);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const ids = withOutbox((o) => o.list().map((e) => e.id));
    expect(receiver.events).toHaveLength(total);
    expect(new Set(receiver.events.map((e) => e.id))).toEqual(new Set(ids));
    expect(orderViolations(receiver.events)).toEqual([]);
    expect(receiver.posts.every((p) => p.signature === 'ok')).toBe(true);
    // What was in flight at the kill was sent again and dropped by the receiver as a duplicate.
    for (const e of inFlight) expect(receiver.posts.filter((p) => p.eventId === e.id).length).toBeGreaterThanOrEqual(2);
  });

  test('refused events become dead letters, are listed, and are sent after redeliver', async () => {
    receiver = await startIdprsReceiver(new TextEncoder().encode(SECRET));
    const total = 2 * EVENTS_PER_PERSON;
    await prepare(receiver.url, 2);
    await admin(['outbox', 'secret', 'set']);

    receiver.mode = 'reject';
    const d1 = startDeliver();
    await until('every event dead', () => withOutbox((o) => o.counts().dead) === total);
    d1.child.kill('SIGTERM');
    await d1.exited;

    const dead = (await admin(['outbox', 'list', '--dead'])) as { counts: Record<string, number>; events: { id: string; status: string; lastError: string; attempts: number }[] };
    expect(dead.counts).toEqual({ pending: 0, delivered: 0, dead: total });
    expect(dead.events).toHaveLength(total);
    for (const e of dead.events) expect(e).toMatchObject({ status: 'dead', attempts: 1, lastError: 'The IDPRS answered HTTP 400. The IDPRS refused the event.' });
    expect(receiver.events).toEqual([]);

    const one = await admin(['outbox', 'redeliver', dead.events[0]!.id]);
    expect(one).toMatchObject({ id: dead.events[0]!.id, status: 'pending', attempts: 0 });
    expect(await admin(['outbox', 'redeliver', '--all-dead'])).toEqual({ redelivered: total - 1 });
    // A second redeliver of the same id is refused: it is no longer a dead letter.
    const again = await station(dataDir, ['--as', 'admin', 'outbox', 'redeliver', dead.events[0]!.id]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/only a dead letter can be redelivered/);

    receiver.mode = 'up';
    const d2 = startDeliver();
    await until('every event delivered', () => withOutbox((o) => o.counts().delivered) === total);
    d2.child.kill('SIGTERM');
    await d2.exited;
    expect(new Set(receiver.events.map((e) => e.id))).toEqual(new Set(dead.events.map((e) => e.id)));
    expect(orderViolations(receiver.events)).toEqual([]);
  });

  test('the outbox needs an admin or security officer; deliver needs the URL and the secret', async () => {
    receiver = await startIdprsReceiver(new TextEncoder().encode(SECRET));
    await prepare(receiver.url, 1);
    const forbidden = await station(dataDir, ['--as', 'registrar', 'outbox', 'list']);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/FORBIDDEN/);
    const noSecret = await station(dataDir, ['--as', 'admin', 'outbox', 'deliver']);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/station outbox secret set/);
    delete process.env.STATION_NOTIFY_SECRET;
    const noEnv = await station(dataDir, ['--as', 'admin', 'outbox', 'secret', 'set']);
    expect(noEnv.stderr).toMatch(/STATION_NOTIFY_SECRET/);
    const list = await admin(['outbox', 'list']);
    expect(list).toMatchObject({ counts: { pending: EVENTS_PER_PERSON, delivered: 0, dead: 0 } });
  });
});
