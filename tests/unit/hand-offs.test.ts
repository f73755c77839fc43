/**
 * Atomic hand-offs (issue 10, finding 13) at the places the station hands a
 * file to another program: the CPR drop folder's NAME.result.json (read by
 * the IDPRS), the published CRL (read by the distribution point and relying
 * parties), the audit anchor (read by whoever checks the log against it). Each must be written to a temporary name, fsynced and renamed,
 * never written in place (which once made the cpr-intake integration test
 * read "Unexpected end of JSON input").
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearFileOps, handOffViolation } from '../support/hand-off-recorder.js';

vi.mock('node:fs', async (actual) => (await import('../support/hand-off-recorder.js')).recordingFs(await actual()));
vi.mock('node:fs/promises', async (actual) => (await import('../support/hand-off-recorder.js')).recordingFsPromises(await actual()));

const { CprFolderWatcher, PROCESSED_DIR, RESULT_SUFFIX } = await import('../../electron/servers/cpr-folder.js');
const { LocalCa } = await import('../../electron/core/pki/local-ca.js');
const { createSecretBox } = await import('../../electron/core/pki/secret-box.js');
const { anchorFilePublisher } = await import('../../electron/core/audit/anchor.js');
const { attachAuditSigner } = await import('../../electron/core/audit/head-signer.js');
const { openStore } = await import('../../electron/core/store/store.js');
const { openDatabase } = await import('../../native/sqlite.js');

const dirs: string[] = [];
beforeEach(clearFileOps);
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hand-off-'));
  dirs.push(d);
  return d;
}

describe('files other programs read are handed off atomically', () => {
  it("the CPR drop folder's NAME.result.json", async () => {
    const dir = tempDir();
    const answer = { status: 'accepted', code: 'CPR_ACCEPTED', message: 'ok', cprId: 'c1', idprsRequestId: 'R-1', requestId: 'q1', requestState: 'requested' } as const;
    const watcher = await CprFolderWatcher.start({ dir, intake: { submit: async () => answer }, settleMs: 0 }, { watching: false });
    writeFileSync(join(dir, 'one.p7m'), 'signed bytes');
    clearFileOps();
    await watcher.scanOnce();
    await watcher.close();
    const result = join(dir, PROCESSED_DIR, `one.p7m${RESULT_SUFFIX}`);
    expect(handOffViolation(result)).toBeNull();
    expect(JSON.parse(readFileSync(result, 'utf8'))).toMatchObject({ code: 'CPR_ACCEPTED' });
  });

  it('the audit anchor', () => {
    const dir = tempDir();
    const store = openStore(openDatabase(':memory:'));
    attachAuditSigner(store, createSecretBox(randomBytes(32), true));
    store.audit.append({ actor: 'tester', action: 'test.event', outcome: 'ok' });
    const file = join(dir, 'anchor.json');
    clearFileOps();
    anchorFilePublisher(file, store.audit, () => undefined).publishNow();
    expect(handOffViolation(file)).toBeNull();
    expect(JSON.parse(readFileSync(file, 'utf8')).head.seq).toBe(1);
  });

  describe('the CRL', () => {
    let ca: Awaited<ReturnType<typeof LocalCa.open>>;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hand-off-ca-'));
      ca = await LocalCa.open({ dir, box: createSecretBox(randomBytes(32), true) });
    });

    it('ca/crl/issuing.crl', async () => {
      clearFileOps();
      const der = await ca.crl();
      const path = join(dir, 'crl', 'issuing.crl');
      expect(handOffViolation(path)).toBeNull();
      expect(new Uint8Array(readFileSync(path))).toEqual(der);
      rmSync(dir, { recursive: true, force: true });
    });
  });
});
