/**
 * The readers disappear in the middle of a production: pcscd itself goes away
 * (the vpcd readers exist only while pcscd runs, so this is how a reader
 * vanishes on this machine). The job must fail with a clear error at the step
 * it was in, lose nothing, and complete with `station job retry` once pcscd
 * and the card are back.
 */
import { trackChild } from '../support/station-cli.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, waitForCardAbsent, waitForCardPresent, VPCD_READER, VPCD_PORT } from '../support/vpcd-card.js';
import { attachCardProcess, CLI_OFFICER, stationJson, ROOT } from '../support/station-cli.js';

const ATR = '3b8880015049564150504c541f';
const PIN = '246810';

let dir: string;
let dataDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-gone-'));
  dataDir = join(dir, 'station');
});
afterAll(async () => {
  await run('bash', [join(ROOT, 'scripts', 'ensure-pcscd.sh')]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the reader disappears during production', () => {
  test('pcscd stops mid-job: the job fails clearly; after restart, job retry completes the card', async () => {
    const person = await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Hedy', '--surname', 'Lamarr']);
    const statePath = join(dir, 'card.json');
    const card = await attachCardProcess(statePath, ['--vpcd', `127.0.0.1:${VPCD_PORT}`, '--keygen-delay', '400']);
    await waitForCardPresent(VPCD_READER, ATR);

    // Start the production and stop pcscd once key generation has begun.
    const produce = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'cli', 'main.ts'), '--data-dir', dataDir, '--training', '--as', CLI_OFFICER.username, 'produce', '--person', person.id, '--reader', VPCD_READER, '--pin', PIN], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STATION_PASSWORD: CLI_OFFICER.password },
    });
    trackChild(produce);
    let out = '';
    const exited = new Promise<number | null>((resolve) => produce.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      produce.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('done     Generate the PIV Authentication key')) resolve();
      });
      produce.once('exit', () => reject(new Error(`production ended before key generation: ${out}`)));
    });
    await run('pkill', ['-x', 'pcscd']);
    const code = await exited;
    expect(code, out).toBe(1);
    expect(out).toMatch(/Production FAILED at step "([A-Za-z0-9.-]+)": /);
    expect(out).toMatch(/pcscd (is not running|stopped)|was disconnected|was removed|stopped answering|Communication with the reader/);
    const jobId = /station job retry ([0-9a-f-]+)/.exec(out)![1]!;
    await card.stop(); // its vpcd connection died with pcscd

    // pcscd back, the same card back: the retry completes it.
    const started = await run('bash', [join(ROOT, 'scripts', 'ensure-pcscd.sh')]);
    expect(started.code, started.stderr).toBe(0);
    const again = await attachCardProcess(statePath, ['--vpcd', `127.0.0.1:${VPCD_PORT}`]);
    try {
      await waitForCardPresent(VPCD_READER, ATR);
      const shown = await stationJson<{ job: { status: string; failedStep: string } }>(dataDir, ['job', 'show', jobId]);
      expect(shown.job.status).toBe('failed');
      const retried = await stationJson<{ status: string; error?: { message: string } }>(dataDir, ['job', 'retry', jobId, '--reader', VPCD_READER, '--pin', PIN]);
      expect(retried.status, retried.error?.message).toBe('done');
    } finally {
      await again.stop();
      await waitForCardAbsent(VPCD_READER);
    }
  });
});
