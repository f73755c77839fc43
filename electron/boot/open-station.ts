/**
 * Composition root shared by the faces (CLI, browser host, Electron shell):
 * opens a data dir into a running station core, wiring the native pieces
 * (SQLite, PC/SC, the training reader) into the plain-Node core, and building
 * each shared service once. Faces get a StationHandle (openStation): the
 * core and the station's background services, never the store or a service.
 * The whole Station (openStationRoot) is for the composition root itself and tests.
 */
import { join } from 'node:path';
import { openDatabase } from '../../native/sqlite.js';
import { openStore } from '../core/store/store.js';
import type { StationStore } from '../core/store/store.js';
import { finishRekey, keyringExists, openKeyring, type Keyring } from '../core/pki/keyring.js';
import { assertPassphraseStrength } from '../core/pki/passphrase-policy.js';
import { resealStation } from '../core/reseal.js';
import { LocalCa } from '../core/pki/local-ca.js';
import type { StationConfig } from '../core/config/station-config.js';
import { ProductionService } from '../core/issuance/production-service.js';
import { escrowedPuk } from '../core/issuance/card-secrets.js';
import { loadConfig } from './data-dir.js';
import { StationReaders } from './readers.js';
import type { ReaderProvider } from '../core/piv/transport.js';
import { createCore, type StationCore } from '../core/dispatch.js';
import { guardVirtualReaders } from '../core/policy/virtual-readers.js';
import { changeStationPassphrase } from './passphrase-change.js';
import { attachAuditSigner, type AuditHeadSigner } from '../core/audit/head-signer.js';
import { anchorPublishing, assertAnchorOutside } from '../core/audit/anchor.js';
import { OfficerService } from '../core/workflow/officers.js';
import { RequestService } from '../core/workflow/requests.js';
import { LifecycleService } from '../core/lifecycle/service.js';
import { physicalPorts, type PhysicalPorts } from '../core/physical/physical-ports.js';
import { sharpImageCodec } from '../../native/image/sharp-codec.js';
import { cupsSpooler } from '../../native/cups/cups-spooler.js';
import { RuleBook } from '../core/policy/rule-book.js';
import { readersForStation } from '../core/policy/training-reader.js';
import type { ScryptParams } from '../core/workflow/officers-password.js';
import { ProfileRegistry } from '../core/workflow/profile-registry.js';
import { createStationCprIntake, idprsRequestOps } from '../core/workflow/cpr-station.js';
import { stationHandle, type StationHandle } from './station-handle.js';

/** Station version shown in the UI and reports. */
export const STATION_VERSION = '0.1.0';

/** Options for opening a station. */
export interface OpenStationOptions {
  dataDir: string;
  /** Passphrase of the keyring (STATION_PASSPHRASE). */
  passphrase?: string;
  /** Create/open an unprotected training data dir (test and training stations only). */
  training?: boolean;
  /** Readers to use instead of PC/SC + training reader (tests inject the in-process training reader). */
  readers?: ReaderProvider;
  /** Only the in-process training reader, no pcscd (the browser host's --no-pcsc). */
  noPcsc?: boolean;
  /** false for a one-shot face (the CLI): the core runs no background work behind the command (CorePorts.background). */
  background?: boolean;
  /** Clock (tests). */
  now?: () => Date;
  /** Photo codec, printing and fonts instead of sharp and CUPS (tests); absent: native/image and native/cups. */
  physical?: PhysicalPorts;
  /** One line per background problem (the audit anchor cannot be written); default: standard error. */
  log?: (line: string) => void;
  /** scrypt cost of officer passwords (tests lower it; default: officers-password.ts). */
  scrypt?: ScryptParams;
}

export type { StationHandle } from './station-handle.js';

/** A station opened on a data dir. Readers are opened on first use (commands like `person add` need no pcscd). */
export interface Station {
  readonly dataDir: string;
  readonly config: StationConfig;
  readonly store: StationStore;
  readonly keyring: Keyring;
  readonly ca: LocalCa;
  readonly production: ProductionService;
  /** Photo codec, card printer and fonts (issue 11). */
  readonly physical: PhysicalPorts;
  /** Officer accounts and sessions. */
  readonly officers: OfficerService;
  /** Card requests, approval, card objects. */
  readonly requests: RequestService;
  /** The administered card profiles (one registry for every service). */
  readonly profiles: ProfileRegistry;
  /** Card lifecycle: revoke, suspend, resume, activate, unlock, reissue, recycle, CRL. */
  readonly lifecycle: LifecycleService;
  /** The rule book every service asks (state machines, roles, separation of duties). */
  readonly rules: RuleBook;
  /** Readers (PC/SC, plus the training reader on training stations), as the station's rules let it use them (readerProvider below). */
  readers(): Promise<ReaderProvider>;
  /** Signs the audit chain head (every 100 events and on close) and vouches for the station's audit keys. */
  readonly auditSigner: AuditHeadSigner;
  /** The StationApi core (dispatch + events) over this station, created on first call. */
  core(): StationCore;
  close(): Promise<void>;
}

/**
 * Opens (creating on first use) the station in `dataDir` for a face.
 * @throws StationError SECRETS_LOCKED (wrong or missing passphrase), INVALID_INPUT (bad config.json, a new
 *         passphrase too weak to protect the data dir)
 */
export async function openStation(opts: OpenStationOptions): Promise<StationHandle> {
  return stationHandle(await openStationRoot(opts));
}

/**
 * Opens (creating on first use) the station in `dataDir`, with all its parts:
 * the composition root's own view (background services, tests).
 * @throws StationError SECRETS_LOCKED (wrong or missing passphrase), INVALID_INPUT (bad config.json)
 */
export async function openStationRoot(opts: OpenStationOptions): Promise<Station> {
  const config = loadConfig(opts.dataDir);
  if (config.auditAnchor?.file) assertAnchorOutside(config.auditAnchor.file, opts.dataDir);
  // A passphrase chosen now protects the data dir from here on: it must be strong enough (pki/passphrase-policy.ts).
  if (opts.passphrase && !keyringExists(opts.dataDir)) await assertPassphraseStrength(opts.passphrase, [config.organization]);
  let keyring = openKeyring(opts.dataDir, { passphrase: opts.passphrase, training: opts.training });
  const db = openDatabase(join(opts.dataDir, 'station.sqlite'));
  const store = openStore(db);
  // A passphrase change that stopped half-way is finished before anything uses a secret (core/reseal.ts).
  if (keyring.resealPending) {
    resealStation({ dataDir: opts.dataDir, store, box: keyring.box });
    keyring = finishRekey(keyring);
  }
  const log = opts.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  // Signed heads are published outside the data dir as config.json's auditAnchor says (core/audit/anchor.ts).
  const anchors = anchorPublishing(store, config.auditAnchor, log, opts.now);
  const auditSigner = attachAuditSigner(store, keyring.box, { onSigned: anchors.onSigned });
  // A newly configured (or remounted) anchor gets the latest head at once.
  anchors.publishNow();
  const ca = await LocalCa.open({ dir: join(opts.dataDir, 'ca'), box: keyring.box, crlUrl: config.crlUrl, organization: config.organization });
  let readers: ReaderProvider | undefined = opts.readers;
  // Every service connects through it: on a real station the training reader is neither listed nor opened,
  // and a vpcd reader is not opened unless config.json allows it (core/policy/virtual-readers.ts).
  const virtualReaders = { training: keyring.training, allowVirtualReaders: config.allowVirtualReaders };
  const readerProvider: ReaderProvider = readersForStation(guardVirtualReaders({
    listReaders: async () => (await getReaders()).listReaders(),
    connect: async (name: string) => (await getReaders()).connect(name),
    watch: (onChange) => {
      // Forward to the real provider once it is open (opening it here if needed).
      let off: (() => void) | undefined;
      let stopped = false;
      void getReaders().then((r) => {
        if (!stopped) off = r.watch(onChange);
      });
      return () => {
        stopped = true;
        off?.();
      };
    },
    close: async () => {},
  }, virtualReaders), keyring.training);
  // One opening shared by concurrent first uses (the core's watch, the batch service's scan):
  // two would open two PC/SC monitors, and the one not kept would keep the process alive.
  let opening: Promise<ReaderProvider> | undefined;
  async function getReaders(): Promise<ReaderProvider> {
    if (readers) return readers;
    opening ??= StationReaders.open({ training: keyring.training, pcsc: !opts.noPcsc }).then(
      (r) => (readers = r),
      (e: unknown) => {
        opening = undefined; // a failed opening is tried again at the next use
        throw e;
      },
    );
    return opening;
  }
  let core: StationCore | undefined;
  // The OS print spooler (CUPS) and sharp are reached on first use only: commands that never print or touch a photo never load them.
  const physical = opts.physical ?? physicalPorts(sharpImageCodec(), cupsSpooler({ server: config.cardPrinter?.server }), config);
  // Built once: every service reads the administered profiles through this one registry.
  const profiles = new ProfileRegistry({ store, config });
  const production = new ProductionService({
    store,
    profiles,
    ca,
    keyring,
    config,
    readers: readerProvider,
    physical,
    now: opts.now,
    openEscrowedPuk: (cardId) => escrowedPuk({ store, keyring }, cardId),
  });
  const officers = new OfficerService({ store, lockAfterMinutes: config.sessionLockMinutes, now: opts.now, scrypt: opts.scrypt });
  const rules = new RuleBook({ store, config, profiles });
  const requests = new RequestService({ store, config, keyring, production, profiles, rules, now: opts.now });
  // The CRL file LocalCa publishes (ca/crl/issuing.crl), read as relying parties get it.
  const lifecycle = new LifecycleService({ store, ca, keyring, readers: readerProvider, config, production, profiles, rules, crlFile: join(opts.dataDir, 'ca', 'crl', 'issuing.crl'), now: opts.now });
  return {
    dataDir: opts.dataDir,
    config,
    store,
    keyring,
    ca,
    production,
    physical,
    officers,
    requests,
    profiles,
    lifecycle,
    rules,
    // Opened now (so PCSC_UNAVAILABLE shows here), used through the station's reader rules.
    readers: async () => {
      await getReaders();
      return readerProvider;
    },
    auditSigner,
    core() {
      core ??= createCore({
        store,
        production,
        officers,
        requests,
        profiles,
        lifecycle,
        rules,
        readers: readerProvider,
        ca,
        config,
        training: keyring.training,
        version: STATION_VERSION,
        auditSigner,
        secretBox: keyring.box,
        physical,
        background: opts.background,
        // A running station's services hold the current key: only a one-shot face (the CLI, which closes afterwards) may change it.
        changePassphrase: opts.background === false ? (next, actor) => changeStationPassphrase({ dataDir: opts.dataDir, config, store, keyring }, next, actor) : undefined,
        // Built per call: its audit names who brings the CPR ('idprs', or the officer); it throws when config.json has no idprs section.
        cprIntake: (actor) => createStationCprIntake({ dataDir: opts.dataDir, store, idprs: config.idprs, requests: idprsRequestOps(requests), rules, codec: physical.codec, actor, now: opts.now }),
        now: opts.now,
      });
      return core;
    },
    async close() {
      await core?.close();
      try {
        // The chain head is signed on every close, so a later rewrite of the log shows.
        auditSigner.signHead();
      } catch {
        // Closing must go on: the head is signed again at the next close or every 100 events.
      }
      anchors.close();
      await readers?.close();
      db.close();
    },
  };
}
