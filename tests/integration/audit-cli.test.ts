/**
 * `station audit verify|export` end to end, as a child process over a
 * training data dir. The attacker holds the SQLite file: they open it
 * directly, drop the append-only triggers and change, delete or reorder
 * events or forge a signed head; verify must exit 1 naming the first broken
 * seq. Needs no reader.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { openDatabase } from '../../native/sqlite.js';
import { openStore } from '../../electron/core/store/store.js';
import { chainHash, GENESIS_HASH } from '../../electron/core/audit/chain.js';
import { CLI_OFFICER, prepareStationDir, ROOT } from '../support/station-cli.js';

const CLI = join(ROOT, 'electron', 'cli', 'main.ts');

/**
 * Runs `station --data-dir DIR --training --as OFFICER ARGS…`. Copies of a
 * prepared data dir already have their officer, so this does not prepare them again.
 */
function station(dir: string, args: string[], opts: { as?: { username: string; password: string }; env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const as = opts.as ?? CLI_OFFICER;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', CLI, '--data-dir', dir, '--training', '--as', as.username, ...args],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, STATION_PASSWORD: as.password, ...opts.env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end();
  });
}

interface Verification {
  ok: boolean;
  events: number;
  signedHeads: number;
  lastSignedHead: { seq: number } | null;
  firstBroken?: { seq: number; problem: string; message: string };
  anchor: { status: string; source?: string };
}

const TMP = mkdtempSync(join(tmpdir(), 'audit-cli-'));
let pristine: string;
let copies = 0;

/** A copy of the pristine data dir (same keyring, same log). */
function copyOfPristine(): string {
  const dir = join(TMP, `copy-${++copies}`);
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

/** Tampers with the copy's database as someone holding the file would. */
function tamper(dir: string, sql: string): void {
  const db = openDatabase(join(dir, 'station.sqlite'));
  try {
    db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_heads_no_update;');
    db.exec(sql);
  } finally {
    db.close();
  }
}

async function verifyJson(dir: string, extra: string[] = []): Promise<{ code: number; v: Verification }> {
  const r = await station(dir, ['audit', 'verify', '--json', ...extra]);
  return { code: r.code, v: JSON.parse(r.stdout) as Verification };
}

/**
 * The attack of issue 10 finding 5, on a copy's database: change an event,
 * recompute every hash after it consistently, delete the signed heads and the
 * audit keys.
 */
function rewriteAndStrip(dir: string): void {
  const db = openDatabase(join(dir, 'station.sqlite'));
  try {
    db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_heads_no_delete; DROP TRIGGER audit_keys_no_delete;');
    db.exec("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3");
    const store = openStore(db);
    let prev = GENESIS_HASH;
    for (const e of store.audit.list()) {
      const hash = chainHash(prev, e);
      db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, e.seq);
      prev = hash;
    }
    db.exec('DELETE FROM audit_heads; DELETE FROM audit_keys;');
  } finally {
    db.close();
  }
}

/** Sets config.json's auditAnchor of a copy. */
function anchorAt(dir: string, file: string): void {
  const path = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  writeFileSync(path, JSON.stringify({ ...config, auditAnchor: { file } }, null, 2));
}

beforeAll(async () => {
  pristine = join(TMP, 'pristine');
  await prepareStationDir(pristine);
  // Events: 1 officer added, then per run a login and a person (2-9), then the verify run's login (10).
  for (const name of ['Ada', 'Grace', 'Edsger', 'Barbara']) {
    const r = await station(pristine, ['person', 'add', '--given-name', name, '--surname', 'Audit']);
    expect(r.code, r.stderr).toBe(0);
  }
  const r = await station(pristine, ['audit', 'verify']);
  expect(r.code, r.stderr).toBe(0);
}, 240_000);

afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('station audit verify', () => {
  it('reports an intact log with its count and last signed head (signed on every close)', async () => {
    const r = await station(pristine, ['audit', 'verify']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Audit log intact: 11 events, head seq 11 \(hash [0-9a-f]{64}\); last signed head: seq 10 at /);
    // That run's close signed head 11; the next run logs in (event 12) before verifying.
    const { code, v } = await verifyJson(copyOfPristine());
    expect(code).toBe(0);
    expect(v).toMatchObject({ ok: true, events: 12, lastSignedHead: { seq: 11 } });
  });

  // The copies below are taken after the run above: events 1-11, heads signed at 10 and 11.
  it('exits 1 at the changed event when a stored field is changed', async () => {
    const dir = copyOfPristine();
    tamper(dir, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 5");
    const r = await station(dir, ['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Audit log BROKEN at seq 5 (changed): Event 5 was changed');

    const dir2 = copyOfPristine();
    tamper(dir2, "UPDATE audit_events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 7");
    expect(await verifyJson(dir2)).toMatchObject({ code: 1, v: { ok: false, firstBroken: { seq: 7, problem: 'changed' } } });
  }, 60_000);

  it('exits 1 at a deleted event, in the middle or at the end of the log', async () => {
    const dir = copyOfPristine();
    tamper(dir, 'DELETE FROM audit_events WHERE seq = 5');
    expect(await verifyJson(dir)).toMatchObject({ code: 1, v: { firstBroken: { seq: 5, problem: 'deleted' } } });

    const tail = copyOfPristine();
    // The head at seq 10 was signed when the pristine verify run closed.
    tamper(tail, "DELETE FROM audit_events WHERE seq >= 9; UPDATE sqlite_sequence SET seq = 8 WHERE name = 'audit_events'");
    const { code, v } = await verifyJson(tail);
    expect(code).toBe(1);
    expect(v.firstBroken?.seq).toBe(9);
  }, 60_000);

  it('exits 1 at reordered events', async () => {
    const dir = copyOfPristine();
    tamper(dir, 'UPDATE audit_events SET seq = 1000 WHERE seq = 5; UPDATE audit_events SET seq = 5 WHERE seq = 6; UPDATE audit_events SET seq = 6 WHERE seq = 1000;');
    expect(await verifyJson(dir)).toMatchObject({ code: 1, v: { firstBroken: { seq: 5, problem: 'reordered' } } });
  }, 60_000);

  it('exits 1 at a forged signed head', async () => {
    const dir = copyOfPristine();
    tamper(dir, "UPDATE audit_heads SET signature = x'3006020101020101' WHERE seq = 10");
    const r = await station(dir, ['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Audit log BROKEN at seq 10 (bad-head-signature)');
  }, 60_000);

  it('the rewrite of issue 10 finding 5 (chain rewritten consistently, audit_heads and audit_keys deleted): exit 1, and no new audit key', async () => {
    const dir = copyOfPristine();
    rewriteAndStrip(dir);
    const { code, v } = await verifyJson(dir);
    expect(code).toBe(1);
    expect(v).toMatchObject({ ok: false, signedHeads: 0, firstBroken: { seq: 1, problem: 'key-missing' }, anchor: { status: 'unanchored' } });
    // That run and this one opened the station: neither made a key, so it is still missing.
    const again = await station(dir, ['audit', 'verify']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('(key-missing)');
    expect(again.stdout).toContain('Unanchored');
    const db = openDatabase(join(dir, 'station.sqlite'));
    try {
      expect((db.prepare('SELECT count(*) AS n FROM audit_keys').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  }, 60_000);

  it('with an anchor on another volume: published on every signed head, checked by verify, and --anchor FILE catches the rewrite', async () => {
    const dir = copyOfPristine();
    const elsewhere = mkdtempSync(join(TMP, 'anchor-volume-')); // a folder outside the data dir
    const file = join(elsewhere, 'station-anchor.json');
    anchorAt(dir, file);
    const { code, v } = await verifyJson(dir);
    expect(code).toBe(0);
    expect(v.anchor.status).toBe('checked'); // the station published its latest signed head when it opened
    expect(existsSync(file)).toBe(true);
    const copy = join(TMP, `anchor-copy-${copies}.json`);
    cpSync(file, copy);

    rewriteAndStrip(dir);
    const checked = await verifyJson(dir, ['--anchor', copy]);
    expect(checked.code).toBe(1);
    expect(checked.v.ok).toBe(false);
    expect(checked.v.anchor).toMatchObject({ status: 'checked', source: 'the anchor given' });
    const words = await station(dir, ['audit', 'verify', '--anchor', copy]);
    expect(words.stdout).toMatch(/BROKEN at seq 1 \((key-missing|anchor-mismatch)\)/);
    expect(words.stdout).toContain('Anchored: checked against the anchor given');
    expect((await station(dir, ['audit', 'verify', '--anchor', join(TMP, 'no-such-anchor.json')])).code).toBe(2);
  }, 90_000);

  it('refuses an officer without the auditor role', async () => {
    const dir = copyOfPristine();
    const add = await station(dir, ['officer', 'add', '--username', 'registrar', '--roles', 'registration'], { env: { STATION_NEW_PASSWORD: 'registrar password 1' } });
    expect(add.code, add.stderr).toBe(0);
    const r = await station(dir, ['audit', 'verify'], { as: { username: 'registrar', password: 'registrar password 1' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[FORBIDDEN]');
  }, 60_000);
});

describe('station audit export', () => {
  it('exports CSV and JSON with filters, to stdout or a file', async () => {
    const dir = copyOfPristine();
    const csv = await station(dir, ['audit', 'export', '--format', 'csv', '--officer', 'cli-tester']);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,at,actor,action,outcome,person_id,card_id,job_id,details,prev_hash,hash');
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'cli-tester')).toBe(true);
    expect(lines.filter((l) => l.includes(',person.added,'))).toHaveLength(4);

    const out = join(dir, 'export.json');
    const r = await station(dir, ['audit', 'export', '--format', 'json', '--from', '2000-01-01', '--to', '2999-12-31', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+ audit events exported to /);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { events: { seq: number; action: string; personId: string | null }[]; signedHeads: unknown[]; auditKeys: unknown[] };
    expect(doc.events.map((e) => e.seq).slice(0, 11)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(doc.signedHeads.length).toBeGreaterThan(0);
    expect(doc.auditKeys).toHaveLength(1);

    const personId = doc.events.find((e) => e.action === 'person.added')!.personId!;
    const byPerson = JSON.parse((await station(dir, ['audit', 'export', '--format', 'json', '--person', personId])).stdout) as { events: { personId: string }[] };
    expect(byPerson.events).toHaveLength(1);
    expect(byPerson.events[0]!.personId).toBe(personId);
    const none = JSON.parse((await station(dir, ['audit', 'export', '--format', 'json', '--card', 'no-such-card'])).stdout) as { events: unknown[] };
    expect(none.events).toEqual([]);
    const future = await station(dir, ['audit', 'export', '--format', 'csv', '--from', '2999-01-01']);
    expect(future.stdout).toBe('seq,at,actor,action,outcome,person_id,card_id,job_id,details,prev_hash,hash\r\n');
  }, 120_000);

  it('refuses a bad format or date with exit code 2', async () => {
    const dir = copyOfPristine();
    const r = await station(dir, ['audit', 'export', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format');
    const d = await station(dir, ['audit', 'export', '--format', 'csv', '--from', '2025-02-30']);
    expect(d.code).toBe(2);
  }, 60_000);
});
