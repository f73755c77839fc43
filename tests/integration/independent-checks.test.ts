/**
 * Issue 9 §6, checks that can fail: every independent-client check the
 * integration suite relies on (tests/support/independent-clients.ts) passes
 * on a card the station produced, and rejects that card once it is broken in
 * the one way the check exists to catch. Broken cards are made by editing the
 * produced card's state file (the virtual card's persistent state), then
 * putting the edited card back into the reader.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes, decodeTlvs, encodeTlv, fromHex, toHex } from '../../electron/core/piv/tlv.js';
import type { CardState } from '../../native/virtual-card/state.js';
import {
  DEFAULT_MANAGEMENT_KEY_HEX,
  checkChuidSignature,
  checkFascn,
  checkManagementKeyNotDefault,
  checkOpenscDump,
  checkPkcs11Test,
  checkSecurityObject,
  checkSlotKeys,
  checkYubicoStatus,
  failures,
  judgeProducedCard,
  readCard,
  type Judged,
  type Verdict,
} from '../support/independent-clients.js';
import { recordedCertificates, station, stationJson, type ProduceOutcomeJson } from '../support/station-cli.js';
import { withVpcdCard } from '../support/vpcd-card.js';

const PIN = '246810';

let dir: string;
let dataDir: string;
let caChainPem: string;
/** State files of two produced cards (different holders, so different FASC-Ns) and their certificate serials. */
const produced: { path: string; serials: string[] }[] = [];

function recordedSerials(cardId: string): string[] {
  return recordedCertificates(dataDir, cardId)
    .filter((c) => c.status === 'valid')
    .map((c) => c.serial);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-checks-'));
  dataDir = join(dir, 'station');
  caChainPem = (await station(dataDir, ['ca', 'chain'])).stdout;
  for (const who of ['Ada', 'Grace']) {
    const path = join(dir, `${who}.json`);
    const person = await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', who, '--surname', 'Checked', '--email', `${who}@example.test`]);
    await withVpcdCard({ statePath: path }, async ({ reader }) => {
      const out = await stationJson<ProduceOutcomeJson>(dataDir, ['produce', '--person', person.id, '--reader', reader, '--pin', PIN]);
      expect(out.status, out.error?.message).toBe('done');
      produced.push({ path, serials: recordedSerials(out.card.id) });
    });
  }
}, 600_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of produced card `index`'s state, changed by `edit`, as a new state file. */
function brokenCopy(name: string, edit: (s: CardState, other: CardState) => void, index = 0): string {
  const path = join(dir, `${name}.json`);
  copyFileSync(produced[index]!.path, path);
  const state = JSON.parse(readFileSync(path, 'utf8')) as CardState;
  const other = JSON.parse(readFileSync(produced[1 - index]!.path, 'utf8')) as CardState;
  edit(state, other);
  writeFileSync(path, JSON.stringify(state));
  return path;
}

/** Puts the card of `statePath` in the reader and runs `fn` with what a judgement needs. */
function onCard<T>(statePath: string, fn: (j: Judged) => Promise<T>, index = 0): Promise<T> {
  return withVpcdCard({ statePath }, ({ reader }) => fn({ reader, pin: PIN, caChainPem, expectedSerials: produced[index]!.serials, workDir: dir }));
}

/** Re-encodes a CHUID with element `tag` replaced by `f(value)`. */
function editChuid(hex: string, tag: number, f: (v: Uint8Array) => Uint8Array): string {
  return toHex(concatBytes(...decodeTlvs(fromHex(hex)).map((t) => encodeTlv(t.tag, t.tag === tag ? f(t.value) : t.value))));
}

const expectRejected = (v: Verdict): void => expect(v.ok, `${v.check} passed a broken card: ${v.detail}`).toBe(false);

describe('the independent checks', () => {
  test('all pass on the cards the station produced (the control)', async () => {
    for (const [i, p] of produced.entries()) {
      const { verdicts } = await onCard(p.path, (j) => judgeProducedCard(j), i);
      expect(failures(verdicts)).toBe('');
    }
  });

  test('a CHUID whose signature was altered: openssl cms rejects it', async () => {
    const path = brokenCopy('bad-chuid-signature', (s) => {
      s.objects['5FC102'] = editChuid(s.objects['5FC102']!, 0x3e, (sig) => {
        const out = sig.slice();
        out[out.length - 1]! ^= 0x01;
        return out;
      });
    });
    await onCard(path, async (j) => expectRejected(await checkChuidSignature(j, await readCard(j))));
  });

  test("a PIV Authentication certificate and key from another holder's card (FASC-N differs from the CHUID's): the FASC-N check rejects it, although key and certificate match", async () => {
    const path = brokenCopy('foreign-fascn', (s, other) => {
      s.keys['9A'] = other.keys['9A']!;
      s.objects['5FC105'] = other.objects['5FC105']!;
    });
    await onCard(path, async (j) => {
      const reading = await readCard(j);
      expectRejected(await checkFascn(j, reading));
      expect((await checkSlotKeys(j, reading)).ok).toBe(true);
      expect((await checkChuidSignature(j, reading)).ok).toBe(true);
    });
  });

  test('a card still on the factory management key (AES-192, and 3DES): authenticating with it succeeds, so the check rejects it', async () => {
    for (const algorithm of ['AES192', 'TDEA'] as const) {
      const path = brokenCopy(`default-key-${algorithm}`, (s) => {
        s.management = { algorithm, key: DEFAULT_MANAGEMENT_KEY_HEX.toLowerCase(), touch: 0xff };
      });
      await onCard(path, async (j) => expectRejected(await checkManagementKeyNotDefault(j)));
    }
  });

  test("a certificate whose key is not the slot's (9A and 9E certificates swapped): the per-slot challenge check rejects it", async () => {
    // pkcs11-tool --test skips EC keys, so it cannot catch this on an EC card: checkSlotKeys exists for that.
    const path = brokenCopy('swapped-certificates', (s) => {
      [s.objects['5FC105'], s.objects['5FC101']] = [s.objects['5FC101']!, s.objects['5FC105']!];
    });
    await onCard(path, async (j) => expectRejected(await checkSlotKeys(j, await readCard(j))));
  });

  test("a card whose PIN is still the transport PIN, not the cardholder's: pkcs11-tool --test --login cannot log in, so the check rejects it", async () => {
    const path = brokenCopy('transport-pin', (s) => {
      s.pin = { ...s.pin, value: Buffer.from('123456').toString('hex').toUpperCase() + 'FFFF', remaining: s.pin.total };
    });
    await onCard(path, async (j) => expectRejected(await checkPkcs11Test(j)));
  });

  test('Printed Information changed after the Security Object was signed: the Security Object check rejects it', async () => {
    const path = brokenCopy('changed-printed-information', (s) => {
      const printed = s.objects['5FC109']!;
      s.objects['5FC109'] = printed.replace(/^(01..)(..)/, (_m, head: string, first: string) => head + (first === '41' ? '42' : '41'));
    });
    await onCard(path, async (j) => expectRejected(await checkSecurityObject(j, await readCard(j))));
  });

  test('a certificate the station did not issue left in a retired slot, announced by the Key History: pkcs15-tool -D and yubico-piv-tool status show it, so both checks reject it', async () => {
    // OpenSC looks for retired-key certificates only as far as the Key History counts them (73-1 §3.3.3).
    const path = brokenCopy('leftover-certificate', (s, other) => {
      s.objects['5FC10D'] = other.objects['5FC105']!;
      s.objects['5FC10C'] = 'C10101C20100FE00';
    });
    await onCard(path, async (j) => {
      expectRejected(await checkOpenscDump(j));
      expectRejected(await checkYubicoStatus(j, await readCard(j)));
    });
  });

  test('an unreadable Digital Signature certificate: yubico-piv-tool status does not show it, so the check rejects it', async () => {
    const path = brokenCopy('garbled-certificate', (s) => {
      s.objects['5FC10A'] = toHex(concatBytes(encodeTlv(0x70, fromHex('3003020101')), encodeTlv(0x71, Uint8Array.of(0)), encodeTlv(0xfe)));
    });
    await onCard(path, async (j) => expectRejected(await checkYubicoStatus(j, await readCard(j))));
  });
});
