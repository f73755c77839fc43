import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CprFolderWatcher, PROCESSED_DIR, REJECTED_DIR, RESULT_SUFFIX } from '../../../electron/servers/cpr-folder.js';
import { createStationCprIntake } from '../../../electron/core/workflow/cpr-station.js';
import { openStore, type StationStore } from '../../../electron/core/store/store.js';
import { openDatabase } from '../../../native/sqlite.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../../support/idprs.js';
import { storeRuleBook } from '../../support/store-rule-book.js';

let idprs: IdprsIdentity;
const dirs: string[] = [];
beforeAll(async () => {
  idprs = await makeIdprsIdentity();
});
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(): { dir: string; store: StationStore; intake: ReturnType<typeof createStationCprIntake> } {
  const dir = mkdtempSync(join(tmpdir(), 'cpr-drop-'));
  dirs.push(dir);
  const store = openStore(openDatabase(':memory:'));
  const intake = createStationCprIntake({
    dataDir: dir,
    store,
    rules: storeRuleBook(store),
    idprs: { signerCertificate: idprs.certPem, managesPersons: true, http: { host: '127.0.0.1', port: 0 } },
    requests: {
      create: (personId, profile, cprId) => store.requests.create({ personId, profile, source: 'idprs', cprId }),
      deleteForIdprs: async (idprsId) => store.requests.update(store.requests.findByIdprsRequestId(idprsId)!.id, { state: 'cancelled' }),
    },
  });
  return { dir, store, intake };
}

describe('CprFolderWatcher', () => {
  it('takes each settled file once: accepted → processed/, rejected → rejected/, each with its .result.json', async () => {
    const { dir, store, intake } = setup();
    const other = await makeIdprsIdentity({ name: 'Forger' });
    writeFileSync(join(dir, 'a.p7m'), await signCpr(idprs, cprDocument({ idprsRequestId: 'F-1', person: { externalId: 'FX-1' } })));
    writeFileSync(join(dir, 'b.p7m'), await signCpr(other, cprDocument({ idprsRequestId: 'F-2' })));
    writeFileSync(join(dir, 'c.p7m.tmp'), 'still being written');
    writeFileSync(join(dir, '.hidden'), 'ignored');
    const w = await CprFolderWatcher.start({ dir, intake, settleMs: 0 }, { watching: false });
    const done = await w.scanOnce();
    expect(done.map((d) => [d.file, d.result.code])).toEqual([
      ['a.p7m', 'CPR_ACCEPTED'],
      ['b.p7m', 'CPR_SIGNATURE_INVALID'],
    ]);
    expect(readdirSync(dir).sort()).toEqual(['.hidden', 'c.p7m.tmp', PROCESSED_DIR, REJECTED_DIR].sort());
    const accepted = JSON.parse(readFileSync(join(dir, PROCESSED_DIR, 'a.p7m' + RESULT_SUFFIX), 'utf8'));
    expect(accepted).toMatchObject({ status: 'accepted', idprsRequestId: 'F-1' });
    expect(store.requests.get(accepted.requestId)).toMatchObject({ source: 'idprs' });
    expect(existsSync(join(dir, REJECTED_DIR, 'b.p7m'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, REJECTED_DIR, 'b.p7m' + RESULT_SUFFIX), 'utf8'))).toMatchObject({ code: 'CPR_SIGNATURE_INVALID' });
    // A second scan finds nothing new: each file is processed once.
    expect(await w.scanOnce()).toEqual([]);
    expect(store.requests.list()).toHaveLength(1);
    await w.close();
  });

  it('leaves a file that is still being modified until it settles', async () => {
    const { dir, intake } = setup();
    writeFileSync(join(dir, 'fresh.p7m'), await signCpr(idprs, cprDocument()));
    const w = await CprFolderWatcher.start({ dir, intake, settleMs: 60_000 }, { watching: false });
    expect(await w.scanOnce()).toEqual([]);
    expect(existsSync(join(dir, 'fresh.p7m'))).toBe(true);
    await w.close();
  });

  it('a name dropped twice keeps both copies', async () => {
    const { dir, intake } = setup();
    const w = await CprFolderWatcher.start({ dir, intake, settleMs: 0 }, { watching: false });
    writeFileSync(join(dir, 'x.p7m'), 'garbage one');
    await w.scanOnce();
    writeFileSync(join(dir, 'x.p7m'), 'garbage two');
    await w.scanOnce();
    expect(readdirSync(join(dir, REJECTED_DIR)).sort()).toEqual(['x-2.p7m', 'x-2.p7m.result.json', 'x.p7m', 'x.p7m.result.json']);
    await w.close();
  });

  it('watching: a file renamed into the folder is picked up without a manual scan', async () => {
    const { dir, intake } = setup();
    const results: string[] = [];
    const w = await CprFolderWatcher.start({ dir, intake, settleMs: 0, pollMs: 50, onResult: (f, r) => results.push(`${f}:${r.code}`) });
    writeFileSync(join(dir, 'w.p7m'), await signCpr(idprs, cprDocument({ idprsRequestId: 'W-1', person: { externalId: 'WX' } })));
    await expect.poll(() => results, { timeout: 10_000 }).toEqual(['w.p7m:CPR_ACCEPTED']);
    await w.close();
  });
});
