/**
 * The card lifecycle on the `station` CLI through the real pcscd with virtual
 * cards in vpcd's reader: revoke / suspend / resume judged by `openssl verify
 * -crl_check` against the CRL the station published (file and HTTP), activate,
 * PIN unlock checked with yubico-piv-tool, recycle to a blank the station
 * produces again, and reissue onto a blank card.
 *
 * The vpcd readers are shared with other test runs: a reader holding someone
 * else's card is waited for, politely, before giving up.
 */
import { trackChild } from '../support/station-cli.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readerHasCard, run, withVpcdCard, VPCD_READER, type VpcdCardContext } from '../support/vpcd-card.js';
import { ROOT, station, stationJson, prepareStationDir } from '../support/station-cli.js';
import { VirtualPivCard } from '../../native/virtual-card/card.js';
import { openStationRoot } from '../../electron/boot/open-station.js';
import { escrowedPuk } from '../../electron/core/issuance/card-secrets.js';
import type { CardDetailView } from '../../electron/contract/station-api.js';

const PIN = '482615';
const NEW_PIN = '615284';
const WRONG_PIN = '000999';
/** How long to wait for a shared vpcd reader another run is using. */
const READER_WAIT_MS = 180_000;

let dir: string;
let dataDir: string;
let personId: string;

/** withVpcdCard, after waiting for the shared reader to be free. */
async function withCard<T>(card: VirtualPivCard, fn: (ctx: VpcdCardContext) => Promise<T>): Promise<T> {
  const deadline = Date.now() + READER_WAIT_MS;
  for (;;) {
    while ((await readerHasCard(VPCD_READER)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2000));
    let started = false;
    try {
      return await withVpcdCard({ card }, (ctx) => {
        started = true;
        return fn(ctx);
      });
    } catch (e) {
      // Another run took the reader between our check and the attach (its card, or its station probing ours): try again later.
      if (started || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}

/** Produces a card for the test person on `reader`; returns the card id and its one-time PUK. */
async function produce(reader: string): Promise<{ cardId: string; puk: string }> {
  const out = await stationJson<{ status: string; card: { id: string }; puk: string }>(dataDir, ['produce', '--person', personId, '--reader', reader, '--pin', PIN]);
  expect(out.status).toBe('done');
  return { cardId: out.card.id, puk: out.puk };
}

/** `openssl verify -crl_check` of `certPem` against the chain and a PEM CRL; returns its output. */
async function verifyWithCrl(certPem: string, crlPem: string): Promise<{ ok: boolean; text: string }> {
  const r = await run('openssl', ['verify', '-crl_check', '-CAfile', join(dir, 'chain.pem'), '-CRLfile', crlPem, certPem]);
  return { ok: r.code === 0 && r.stdout.includes(': OK'), text: r.stdout + r.stderr };
}

/** DER CRL → PEM file; returns the path and `openssl crl -text`. */
async function crlToPem(der: Uint8Array, name: string): Promise<{ pem: string; text: string }> {
  const derPath = join(dir, `${name}.der`);
  const pem = join(dir, `${name}.pem`);
  writeFileSync(derPath, der);
  const conv = await run('openssl', ['crl', '-inform', 'DER', '-in', derPath, '-out', pem]);
  expect(conv.code, conv.stderr).toBe(0);
  const text = await run('openssl', ['crl', '-in', pem, '-noout', '-text']);
  return { pem, text: text.stdout };
}

/** The published CRL file of the station's CA. */
const publishedCrl = () => new Uint8Array(readFileSync(join(dataDir, 'ca', 'crl', 'issuing.crl')));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-lifecycle-'));
  dataDir = join(dir, 'station');
  await prepareStationDir(dataDir);
  const person = await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Grace', '--surname', 'Hopper', '--employee-id', '1906', '--affiliation', 'employee']);
  personId = person.id;
  const chain = await station(dataDir, ['ca', 'chain']);
  expect(chain.code).toBe(0);
  writeFileSync(join(dir, 'chain.pem'), chain.stdout);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('station card lifecycle through pcscd', () => {
  test('suspend → hold in the CRL (file and HTTP), resume → off it, revoke key-compromise → revoked: openssl verify -crl_check agrees each time', async () => {
    const card = VirtualPivCard.create();
    let cardId = '';
    await withCard(card, async ({ reader }) => {
      cardId = (await produce(reader)).cardId;
      const cert = await run('yubico-piv-tool', ['-r', reader, '-a', 'read-certificate', '-s', '9a']);
      expect(cert.code, cert.stderr).toBe(0);
      writeFileSync(join(dir, 'leaf.pem'), cert.stdout);
    });
    const leaf = join(dir, 'leaf.pem');
    const serial = (await run('openssl', ['x509', '-in', leaf, '-noout', '-serial'])).stdout.trim().replace(/^serial=/, '').toUpperCase();

    // The CRL distribution point over HTTP, from another process.
    const serve = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'cli', 'main.ts'), '--data-dir', dataDir, '--training', 'crl', 'serve', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(serve);
    try {
      const url = await serverUrl(serve);
      const fetched = async () => new Uint8Array(await (await fetch(url)).arrayBuffer());

      // Fresh card: valid against the CRL the station publishes (station crl --out).
      const out = join(dir, 'station-crl.der');
      const shown = await stationJson<{ entries: unknown[] }>(dataDir, ['crl', '--out', out]);
      expect(shown.entries).toEqual([]);
      expect((await verifyWithCrl(leaf, (await crlToPem(new Uint8Array(readFileSync(out)), 'c0')).pem)).ok).toBe(true);

      // Suspend (no card in any reader): certificateHold in the file and over HTTP; verify fails.
      const suspended = await stationJson<CardDetailView>(dataDir, ['card', 'suspend', cardId]);
      expect(suspended.status).toBe('suspended');
      const heldFile = await crlToPem(publishedCrl(), 'c1');
      expect(heldFile.text).toContain(`Serial Number: ${serial}`);
      expect(heldFile.text).toContain('Certificate Hold');
      const heldHttp = await fetched();
      expect(heldHttp).toEqual(publishedCrl());
      const v1 = await verifyWithCrl(leaf, (await crlToPem(heldHttp, 'c1h')).pem);
      expect(v1.ok).toBe(false);
      expect(v1.text).toMatch(/certificate revoked/);

      // Resume: the hold disappears; verify passes again.
      // The card was never activated: it comes back awaiting collection (issue 10, finding 3).
      expect((await stationJson<CardDetailView>(dataDir, ['card', 'resume', cardId])).status).toBe('produced');
      const released = await crlToPem(await fetched(), 'c2');
      expect(released.text).not.toContain(serial);
      expect((await verifyWithCrl(leaf, released.pem)).ok).toBe(true);

      // Revoke for key compromise: for good.
      const revoked = await stationJson<CardDetailView>(dataDir, ['card', 'revoke', cardId, '--reason', 'key-compromise']);
      expect(revoked.status).toBe('revoked');
      expect(revoked.certificates.every((c) => c.status === 'revoked' && c.revocationReason === 'keyCompromise')).toBe(true);
      const final = await crlToPem(await fetched(), 'c3');
      expect(final.text).toContain(`Serial Number: ${serial}`);
      expect(final.text).toContain('Key Compromise');
      const v3 = await verifyWithCrl(leaf, final.pem);
      expect(v3.ok).toBe(false);
      expect(v3.text).toMatch(/certificate revoked/);
      // The station's own view agrees with openssl's.
      const view = await stationJson<{ entries: { serial: string; reason: string }[] }>(dataDir, ['crl']);
      expect(view.entries.filter((e) => e.serial.replace(/^0+/, '') === serial.replace(/^0+/, ''))).toEqual([expect.objectContaining({ reason: 'keyCompromise' })]);
      // A revoked card cannot be suspended.
      const again = await station(dataDir, ['card', 'suspend', cardId]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('[CARD_STATE]');
    } finally {
      serve.kill('SIGTERM');
    }
  }, 400_000);

  test('activate with the PIN on the card; a blocked PIN unlocked at the desk: new PIN works, old PUK refused, new escrowed PUK works', async () => {
    const card = VirtualPivCard.create();
    await withCard(card, async ({ reader }) => {
      const { cardId, puk } = await produce(reader);
      const wrong = await station(dataDir, ['card', 'activate', '--reader', reader, '--pin', WRONG_PIN]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('[WRONG_PIN]');
      expect((await stationJson<CardDetailView>(dataDir, ['card', 'activate', '--reader', reader, '--pin', PIN])).status).toBe('active');

      for (let i = 0; i < 3; i++) await run('yubico-piv-tool', ['-r', reader, '-a', 'verify-pin', '-P', WRONG_PIN]);
      const blocked = await run('yubico-piv-tool', ['-r', reader, '-a', 'verify-pin', '-P', PIN]);
      expect(blocked.code).not.toBe(0);

      const unlocked = await stationJson<CardDetailView>(dataDir, ['card', 'unlock', '--reader', reader], 0, { env: { STATION_NEW_PIN: NEW_PIN } });
      expect(unlocked.id).toBe(cardId);
      const verified = await run('yubico-piv-tool', ['-r', reader, '-a', 'verify-pin', '-P', NEW_PIN]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);

      const oldPuk = await run('yubico-piv-tool', ['-r', reader, '-a', 'change-puk', '-P', puk, '-N', '24681357']);
      expect(oldPuk.code).not.toBe(0);
      const s = await openStationRoot({ dataDir, training: true });
      let newPuk: string | undefined;
      try {
        newPuk = escrowedPuk(s, cardId);
      } finally {
        await s.close();
      }
      expect(newPuk).toMatch(/^\d{8}$/);
      expect(newPuk).not.toBe(puk);
      const withNew = await run('yubico-piv-tool', ['-r', reader, '-a', 'change-puk', '-P', newPuk!, '-N', newPuk!]);
      expect(withNew.code, withNew.stdout + withNew.stderr).toBe(0);
    });
  }, 400_000);

  test('recycle: the returned card is reset to a blank (factory PIN, no certificates) that the station produces again; reissue replaces it on a new blank', async () => {
    // A 3DES factory key, the one yubico-piv-tool 2.2 knows, to show the factory key is back after the reset.
    const card = VirtualPivCard.create({ managementKeyAlgorithm: 'TDEA' });
    let reissuedFrom = '';
    await withCard(card, async ({ reader }) => {
      const { cardId } = await produce(reader);
      const recycled = await stationJson<CardDetailView>(dataDir, ['card', 'recycle', '--reader', reader]);
      expect(recycled).toMatchObject({ id: cardId, status: 'revoked' });
      expect(recycled.certificates.every((c) => c.revocationReason === 'cessationOfOperation')).toBe(true);
      const listed = await run('pkcs15-tool', ['--reader', reader, '--list-certificates']);
      expect([...listed.stdout.matchAll(/X\.509 Certificate \[/g)]).toHaveLength(0);
      const factoryPin = await run('yubico-piv-tool', ['-r', reader, '-a', 'verify-pin', '-P', '123456']);
      expect(factoryPin.code, factoryPin.stdout + factoryPin.stderr).toBe(0);
      // The factory management key works again (writing an object needs it).
      writeFileSync(join(dir, 'printed.bin'), Buffer.from('5300', 'hex'));
      const factoryKey = await run('yubico-piv-tool', ['-r', reader, '-a', 'write-object', '--id', '0x5fc109', '-i', join(dir, 'printed.bin'), '-f', 'binary']);
      expect(factoryKey.code, factoryKey.stdout + factoryKey.stderr).toBe(0);
      reissuedFrom = (await produce(reader)).cardId;
      expect(reissuedFrom).not.toBe(cardId);
    });
    const blank = VirtualPivCard.create();
    await withCard(blank, async ({ reader }) => {
      const r = await station(dataDir, ['card', 'reissue', reissuedFrom, '--reader', reader, '--reason', 'damaged', '--pin', PIN, '--json']);
      const reissued = JSON.parse(r.stdout) as { status: string; replacedCardId: string; cardId: string; jobId: string; error?: { retryable: boolean } };
      expect(reissued).toMatchObject({ replacedCardId: reissuedFrom });
      if (reissued.status !== 'done') {
        // The shared reader was briefly held by another run: the replacement's job is kept and retried, as an officer would.
        expect(reissued.error?.retryable, r.stdout).toBe(true);
        const retried = await stationJson<{ status: string }>(dataDir, ['job', 'retry', reissued.jobId, '--reader', reader, '--pin', PIN]);
        expect(retried.status).toBe('done');
      }
      const listed = await run('pkcs15-tool', ['--reader', reader, '--list-certificates']);
      expect([...listed.stdout.matchAll(/X\.509 Certificate \[/g)]).toHaveLength(4);
      const replacement = await stationJson<CardDetailView>(dataDir, ['card', 'show', reissued.cardId]);
      expect(replacement).toMatchObject({ personId, status: 'produced' });
    });
    const old = await stationJson<CardDetailView>(dataDir, ['card', 'show', reissuedFrom]);
    expect(old.status).toBe('revoked');
    expect(old.certificates.every((c) => c.revocationReason === 'superseded')).toBe(true);
  }, 400_000);
});

/** Waits for `station crl serve --json` to print its URL. */
function serverUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"url":\s*"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`crl serve exited ${code}: ${out}`)));
  });
}
