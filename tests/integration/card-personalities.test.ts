/**
 * Issue 9 §3 acceptance, through the real pcscd: on every personality of the
 * virtual card, the `station` CLI produces the default profile, and
 * independent clients judge the card (tests/support/independent-clients.ts:
 * OpenSC pkcs15-tool -D and pkcs11-tool --test --login, yubico-piv-tool
 * status, openssl on the CHUID and Security Object signatures and on a
 * challenge per slot, the FASC-N in every certificate, and the factory
 * management key refused). A personality the default profile cannot be
 * produced on is refused before anything is written, with the reason for the
 * officer, and the card is left exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersonalityName } from '../../native/virtual-card/personality.js';
import { failures, judgeProducedCard } from '../support/independent-clients.js';
import { recordedCertificates, station, stationJson, type ProduceOutcomeJson } from '../support/station-cli.js';
import { withVpcdCard } from '../support/vpcd-card.js';

const PIN = '246810';

let dir: string;
let dataDir: string;
let caChainPem: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-personalities-'));
  dataDir = join(dir, 'station');
  const chain = await station(dataDir, ['ca', 'chain']);
  expect(chain.code, chain.stderr).toBe(0);
  caChainPem = chain.stdout;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A new person for one card (a person holds one card at a time). */
async function newPerson(label: string): Promise<string> {
  const p = await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Card', '--surname', `Tester ${label}`, '--email', `${label}@example.test`]);
  return p.id;
}

/** Runs `station produce` for a new person on the card in `reader`; the JSON outcome whether it succeeded or not. */
async function produce(label: string, reader: string): Promise<{ code: number; out: ProduceOutcomeJson }> {
  const r = await station(dataDir, ['produce', '--person', await newPerson(label), '--reader', reader, '--pin', PIN, '--json'], { timeoutMs: 300_000 });
  let out: ProduceOutcomeJson;
  try {
    out = JSON.parse(r.stdout) as ProduceOutcomeJson;
  } catch {
    throw new Error(`station produce printed no outcome (exit ${r.code}): ${r.stderr}`);
  }
  return { code: r.code, out };
}

/** Personalities a default-profile card can be produced on. */
const PRODUCIBLE: PersonalityName[] = ['yubikey-like', 'tdes-only', 'fixed-objects', 'strict-800-73', 'factory-dirty'];

describe.each(PRODUCIBLE)('a %s card', (personality) => {
  test('is produced with the default profile and judged good by OpenSC, yubico-piv-tool and openssl', async () => {
    await withVpcdCard({ cardOptions: { personality } }, async ({ reader, card }) => {
      const { code, out } = await produce(personality, reader);
      expect(out.status, `failed at ${out.failedStep}: ${out.error?.message}`).toBe('done');
      expect(code).toBe(0);
      // The card holds the profile's four keys and nothing else (a returned card's retired key is gone).
      expect(Object.keys(card.snapshot().keys).sort()).toEqual(['9A', '9C', '9D', '9E']);
      const expectedSerials = recordedCertificates(dataDir, out.card.id)
        .filter((c) => c.status === 'valid')
        .map((c) => c.serial);
      expect(expectedSerials).toHaveLength(4);
      const { verdicts } = await judgeProducedCard({ reader, pin: PIN, caChainPem, expectedSerials, workDir: dir });
      expect(failures(verdicts)).toBe('');
    });
  });
});

/** Personalities the default profile needs more of than they can do, and how the officer must be told. */
const REFUSED: { personality: PersonalityName; sentence: RegExp }[] = [
  // No command changes 9B: the card cannot be locked (issue 9 §1).
  { personality: 'fixed-management-key', sentence: /no command to change its management key.*cannot lock it.*Nothing was written to the card\./ },
  // Generates RSA-2048 only; the default profile asks for P-256 keys.
  { personality: 'rsa-only', sentence: /does not offer P-256.*cannot generate the PIV Authentication key \(9A\).*Nothing was written to the card\./ },
];

describe.each(REFUSED)('a $personality card', ({ personality, sentence }) => {
  test('is refused before anything is written, with the reason for the officer, and left untouched', async () => {
    await withVpcdCard({ cardOptions: { personality } }, async ({ reader, card }) => {
      const before = card.snapshot();
      const { code, out } = await produce(personality, reader);
      expect(code).not.toBe(0);
      expect(out.status).not.toBe('done');
      expect(out.error?.message).toMatch(sentence);
      expect(card.snapshot()).toEqual(before);
      expect(recordedCertificates(dataDir, out.card.id)).toEqual([]);
    });
  });
});
