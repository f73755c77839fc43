/**
 * Card profiles through the real pcscd (issue 4): an administrator limits the
 * employee profile with `station profile set` to the mandatory slots 9A and 9E
 * without Printed Information or Discovery; the card the CLI then produces is
 * judged by OpenSC (exactly two certificates, no Printed Information) and
 * still verifies. The contractor profile, left at its defaults, still gets
 * all four certificates.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withVpcdCard, run } from '../support/vpcd-card.js';
import { station, stationJson } from '../support/station-cli.js';

/** OpenSC's PKCS#11 module on this machine (Debian/Ubuntu multiarch path). */
const PKCS11 = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const PIN = '246810';

interface ProduceJson {
  status: string;
  error?: { code: string; message: string };
  card: { id: string };
}

let dir: string;
let dataDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-profiles-'));
  dataDir = join(dir, 'station');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * What OpenSC finds on the card in `reader`: certificate serials (pkcs15-tool),
 * the PKCS#11 certificate objects' labels, and the Printed Information read
 * through PKCS#11 after login (OpenSC lists every PIV data object whether the
 * card holds it or not, so only reading it tells).
 */
async function openScView(reader: string): Promise<{ serials: string[]; certificateObjects: string[]; printed: { code: number; stdout: string } }> {
  const listed = await run('pkcs15-tool', ['--reader', reader, '--list-certificates']);
  expect(listed.code, listed.stderr).toBe(0);
  const serials = [...listed.stdout.matchAll(/Encoded serial\s*:\s*02 [0-9A-F]{2} ([0-9A-F]+)/g)].map((m) => m[1]!);
  const objects = await run('pkcs11-tool', ['--module', PKCS11, '--slot-description', reader, '--login', '--pin', PIN, '--list-objects']);
  expect(objects.code, objects.stderr).toBe(0);
  const certificateObjects = [...objects.stdout.matchAll(/Certificate Object;[^\n]*\n\s*label:\s*([^\n]+)/g)].map((m) => m[1]!.trim());
  const printed = await run('pkcs11-tool', ['--module', PKCS11, '--slot-description', reader, '--login', '--pin', PIN, '--read-object', '--type', 'data', '--label', 'Printed Information']);
  return { serials, certificateObjects, printed };
}

describe('a profile limited to 9A and 9E, produced through pcscd', () => {
  test('OpenSC sees exactly two certificates and no Printed Information; the card verifies; the default profile still gets four', async () => {
    const set = await station(dataDir, ['profile', 'set', 'employee', '--slots', '9A,9E', '--objects', 'key-history']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/Profile employee is now version 2/);

    const employee = await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Ada', '--surname', 'Lovelace', '--affiliation', 'employee']);
    await withVpcdCard({}, async ({ reader }) => {
      const produced = await stationJson<ProduceJson>(dataDir, ['produce', '--person', employee.id, '--reader', reader, '--pin', PIN]);
      expect(produced.status, produced.error?.message).toBe('done');
      const view = await openScView(reader);
      expect(view.serials).toHaveLength(2);
      expect(view.certificateObjects.sort()).toEqual(['Certificate for Card Authentication', 'Certificate for PIV Authentication']);
      expect(view.printed.code, view.printed.stdout).not.toBe(0);
      const report = await stationJson<{ ok: boolean; certificates: { slot: string }[] }>(dataDir, ['verify', '--reader', reader, '--pin', PIN]);
      expect(report.ok).toBe(true);
      expect(report.certificates.map((c) => c.slot)).toEqual(['9A', '9E']);
    });

    const contractor = await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Grace', '--surname', 'Hopper', '--affiliation', 'contractor']);
    await withVpcdCard({}, async ({ reader }) => {
      const produced = await stationJson<ProduceJson>(dataDir, ['produce', '--person', contractor.id, '--reader', reader, '--pin', PIN]);
      expect(produced.status, produced.error?.message).toBe('done');
      const view = await openScView(reader);
      expect(view.serials).toHaveLength(4);
      expect(view.certificateObjects).toHaveLength(4);
      expect(view.printed.code).toBe(0);
      // The name as the card face prints it (FIPS 201-3 Zone 2F: capitals, surname first), so chip and face agree.
      expect(view.printed.stdout).toContain('HOPPER, GRACE');
    });
  });
});
