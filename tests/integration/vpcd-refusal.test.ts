/**
 * Virtual readers on a real station, through the real pcscd (issue 13
 * "Hardening: vpcd"; electron/core/policy/virtual-readers.ts): a protected (not
 * training) data dir refuses to produce on, or verify, a card in a vpcd reader,
 * and not one C-APDU reaches the card, counted on the card's side; no job and
 * no card record are made. The same station with `"allowVirtualReaders": true`
 * in config.json does talk to the card, so the count above is one that can fail.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROLES } from '../../electron/core/workflow/types.js';
import { DEFAULT_CONFIG } from '../../electron/core/config/station-config.js';
import { MINIMAL_VICC_ATR, startMinimalVicc, type MinimalVicc } from '../support/minimal-vicc.js';
import { ROOT, trackChild } from '../support/station-cli.js';
import { waitForCardAbsent, waitForCardPresent, VPCD_PORT, VPCD_READER, type RunResult } from '../support/vpcd-card.js';

const PASSPHRASE = 'violet tractor mango whistle';
const OFFICER = { username: 'desk', password: 'a desk officer password' };

let dir: string;
let dataDir: string;
let personId: string;

/** `station --data-dir DIR ARGS…` on the protected data dir (no --training), as OFFICER. */
function station(args: string[], withOfficer = true): Promise<RunResult> {
  return new Promise((resolve) => {
    const argv = ['--import', 'tsx', join(ROOT, 'electron/cli/main.ts'), '--data-dir', dataDir, ...(withOfficer ? ['--as', OFFICER.username] : []), ...args];
    const env = { ...process.env, STATION_PASSPHRASE: PASSPHRASE, STATION_PASSWORD: OFFICER.password };
    const child = execFile(process.execPath, argv, { env, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
    trackChild(child);
    child.stdin?.end();
  });
}

/** Runs `work` with a card that records every C-APDU in the vpcd reader; returns what it received. */
async function withRecordingCard(work: () => Promise<void>): Promise<MinimalVicc['apdus']> {
  const vicc = startMinimalVicc({ port: VPCD_PORT });
  try {
    await vicc.connected;
    await waitForCardPresent(VPCD_READER, Buffer.from(MINIMAL_VICC_ATR).toString('hex'));
    await work();
    return vicc.apdus;
  } finally {
    await vicc.remove();
    await waitForCardAbsent(VPCD_READER);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-vpcd-refusal-'));
  dataDir = join(dir, 'station');
  // One desk officer issues directly (no approval, the duty rule off), so the reader rule is what answers.
  mkdirSync(dataDir, { mode: 0o700 });
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, profiles: DEFAULT_CONFIG.profiles.map((p) => ({ ...p, approvalRequired: false })), separationOfDuties: { producerDiffersFromRequester: false } }, null, 2), { mode: 0o600 });
  const added = await station(['officer', 'add', '--username', OFFICER.username, '--roles', ROLES.join(',')], false);
  expect(added.code, added.stderr).toBe(0);
  const person = await station(['person', 'add', '--given-name', 'Vera', '--surname', 'Virtual', '--affiliation', 'visitor', '--json']);
  expect(person.code, person.stderr).toBe(0);
  personId = (JSON.parse(person.stdout) as { id: string }).id;
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a protected station and a vpcd reader, through pcscd', () => {
  test('production and verification are refused before any C-APDU reaches the card; no job, no card record', async () => {
    let produced: RunResult | undefined;
    let verified: RunResult | undefined;
    const apdus = await withRecordingCard(async () => {
      produced = await station(['produce', '--person', personId, '--reader', VPCD_READER, '--pin', '246810', '--json']);
      verified = await station(['verify', '--reader', VPCD_READER, '--json']);
    });
    expect(produced!.code).toBe(1);
    expect(JSON.parse(produced!.stdout)).toMatchObject({ error: { code: 'FORBIDDEN', details: { rule: 'virtualReader', reader: VPCD_READER } } });
    expect(produced!.stderr).toContain('allowVirtualReaders');
    expect(verified!.code).toBe(1);
    expect(JSON.parse(verified!.stdout)).toMatchObject({ error: { code: 'FORBIDDEN', details: { rule: 'virtualReader' } } });
    expect(apdus).toEqual([]);
    const jobs = await station(['job', 'list', '--json']);
    expect(JSON.parse(jobs.stdout)).toEqual([]);
    const cards = await station(['card', 'list', '--json']);
    expect(JSON.parse(cards.stdout)).toEqual([]);
  }, 240_000);

  test('with "allowVirtualReaders": true the same production reaches the card', async () => {
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), allowVirtualReaders: true }, null, 2), { mode: 0o600 });
    let produced: RunResult | undefined;
    const apdus = await withRecordingCard(async () => {
      produced = await station(['produce', '--person', personId, '--reader', VPCD_READER, '--pin', '246810', '--json']);
    });
    // The recording card is no PIV card: the job fails, after the card was spoken to.
    expect(produced!.code).toBe(1);
    expect(JSON.parse(produced!.stdout)).toMatchObject({ status: 'failed' });
    expect(apdus.length).toBeGreaterThan(0);
  }, 240_000);
});
