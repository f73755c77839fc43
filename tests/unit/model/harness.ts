/**
 * The stations of the model-based tests (issue 10 "Model-based tests of the
 * invariants"): a template training station made once per test file, then one
 * fresh copy per command sequence, so a sequence starts in milliseconds.
 *
 * The template holds eight persons (employees, a contractor, a visitor) and
 * two cards issued the proper way through the dispatcher by seed officers
 * (request → approval → production; one of them activated), with their
 * virtual cards' state saved beside the data dir. Keys stay cheap: ECC P-256
 * in the 9A and 9E slots only, no optional objects, officer passwords hashed
 * with a low scrypt cost. Contractor cards are printed (after encoding) on an
 * in-memory card printer, so productions and reprints print; every other
 * person has a photo (issue 11). Data
 * dirs live in /dev/shm when it exists (tmpfs).
 *
 * Everything goes through the StationApi (`core.dispatch`) except what no
 * channel does: the sequence's officers are written to the store directly
 * (random roles and person links), and the harness plays the desk (inserts,
 * pulls and reinserts the virtual cards of the in-process training reader).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openStationRoot as openStation, type Station } from '../../../electron/boot/open-station.js';
import { DEFAULT_CONFIG } from '../../../electron/core/config/station-config.js';
import { physicalPorts, type PhysicalPorts } from '../../../electron/core/physical/physical-ports.js';
import { sharpImageCodec } from '../../../native/image/sharp-codec.js';
import { MemorySpooler } from '../../support/memory-spooler.js';
import { syntheticPhoto } from '../../support/portrait-images.js';
import type { StationCore } from '../../../electron/core/dispatch.js';
import { hashPassword } from '../../../electron/core/workflow/officers-password.js';
import { TrainingReaderProvider, TRAINING_READER_NAME } from '../../../native/virtual-card/training-reader.js';
import { VirtualPivCard } from '../../../native/virtual-card/card.js';
import type { Role } from '../../../electron/core/workflow/types.js';

/** The password of every officer of a model station. */
export const MODEL_PASSWORD = 'model officer password';
/** scrypt cost of the model stations' officer passwords (verification reads it from the hash). */
export const CHEAP_SCRYPT = { N: 16, r: 1, p: 1 };
/** The PIN every cardholder types in the model. */
export const MODEL_PIN = '246810';
/** The reader of the model stations. */
export const READER = TRAINING_READER_NAME;

/** A person of the template. */
export interface ModelPerson {
  id: string;
  affiliation: 'employee' | 'contractor' | 'visitor';
  employeeId: string;
  email: string;
}

/** A card issued in the template, with who did what. */
export interface TemplateCard {
  id: string;
  personId: string;
  profile: 'employee' | 'contractor' | 'visitor';
  status: 'produced' | 'active';
  requester: string;
  approver: string;
  producer: string;
  /** The saved state of its virtual card. */
  stateFile: string;
}

/** A request of the template that an approver approved and nobody produced yet (its card object is `approved`). */
export interface TemplateRequest {
  id: string;
  personId: string;
  profile: 'employee' | 'contractor' | 'visitor';
  cardId: string;
  requester: string;
  approver: string;
}

/** The template a test file copies for every sequence. */
export interface ModelTemplate {
  dir: string;
  persons: ModelPerson[];
  cards: TemplateCard[];
  /**
   * Approved requests waiting for production, so that a sequence of a few
   * calls reaches production, batches and what follows them (without them
   * a sequence must first create and approve a request by the right officers).
   */
  approvedRequests: TemplateRequest[];
  /** Seed officers (username → id) who issued the template cards. */
  seedOfficers: Record<string, string>;
  /** A scrypt hash of MODEL_PASSWORD, cheap to verify. */
  passwordHash: string;
  remove(): void;
}

/** Where data dirs go: tmpfs when there is one. */
function scratch(prefix: string): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return mkdtempSync(join(base, prefix));
}

/** The capture screen's 3:4 frame guide on a 640 × 480 camera frame. */
export const PORTRAIT_CROP = { x: 0.21875, y: 0, width: 0.5625, height: 1 };
let portraitB64: string | undefined;
/** A synthetic 640 × 480 portrait the photo checks accept (base64), made once. */
export async function portraitImage(): Promise<string> {
  portraitB64 ??= Buffer.from(await syntheticPhoto({ width: 640, height: 480 })).toString('base64');
  return portraitB64;
}

/** The model's card printer queue, an in-memory spooler with CUPS's job semantics (tests/support/memory-spooler.ts). */
const MODEL_QUEUE = 'PIV-Test-Printer';

/**
 * Card profiles of the model: ECC in the mandatory slots only, so a production costs little.
 * Contractor cards are printed after encoding (issue 11): their production has a print step and
 * needs the person's photo; the others are chip only.
 */
function modelConfig(producerDiffersFromRequester: boolean) {
  const profiles = DEFAULT_CONFIG.profiles.map((p) => ({
    ...p,
    slots: ['9A', '9E'],
    objects: [],
    algorithms: { '9A': 'P256', '9C': 'P256', '9D': 'P256', '9E': 'P256' },
    ...(p.id === 'contractor' ? { printing: 'after-encoding' } : {}),
  }));
  return { ...DEFAULT_CONFIG, profiles, cardPrinter: { queue: MODEL_QUEUE }, separationOfDuties: { producerDiffersFromRequester } };
}

/** The physical ports of a model station: sharp for photos, an in-memory card printer followed without waiting. */
function modelPhysical(): PhysicalPorts {
  return physicalPorts(sharpImageCodec(), new MemorySpooler([MODEL_QUEUE]), { cardPrinter: { queue: MODEL_QUEUE } }, { pollMs: 0, wait: async () => {} });
}

/** The value of a dispatch answer, or an Error naming the channel. */
async function must<T>(core: StationCore, channel: string, input: unknown, connection: string): Promise<T> {
  const r = await core.dispatch(channel, input, connection);
  if (!r.ok) throw new Error(`template ${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/** Waits until the core runs nothing (jobs, probes, batches). */
export async function idle(core: StationCore): Promise<void> {
  await (core as StationCore & { idle(): Promise<void> }).idle();
}

/** Builds the template: persons, seed officers, two properly issued cards (one produced, one active). */
export async function buildTemplate(): Promise<ModelTemplate> {
  const dir = scratch('piv-model-template-');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(modelConfig(true), null, 2));
  const reader = new TrainingReaderProvider();
  const station = await openStation({ dataDir: dir, training: true, readers: reader, physical: modelPhysical() });
  const passwordHash = await hashPassword(MODEL_PASSWORD, CHEAP_SCRYPT);
  const { store } = station;
  const affiliations: ModelPerson['affiliation'][] = ['employee', 'employee', 'contractor', 'visitor', 'employee', 'visitor', 'contractor', 'employee'];
  const persons = affiliations.map((affiliation, i) => {
    const employeeId = `M${1000 + i}`;
    const email = `person${i}@model.test`;
    const p = store.persons.add({ givenName: `Model${i}`, surname: `Person${i}`, email, employeeId, affiliation });
    return { id: p.id, affiliation, employeeId, email };
  });
  const seed = (username: string, roles: Role[]) => store.officers.create({ username, displayName: username, passwordHash, roles }).id;
  const seedOfficers = {
    'seed.reg': seed('seed.reg', ['registration']),
    'seed.appr': seed('seed.appr', ['approver']),
    'seed.prod': seed('seed.prod', ['production']),
    'seed.sec': seed('seed.sec', ['security']),
  };
  const core = station.core();
  for (const username of Object.keys(seedOfficers)) await must(core, 'auth.login', { username, password: MODEL_PASSWORD }, username);
  // Profiles are read once so the registry seeds them now, not during a sequence.
  await must(core, 'profiles.list', {}, 'seed.reg');
  // Every other person has a photo (issue 11): their cards can be printed and reprinted, the others' are refused PHOTO_MISSING.
  const photo = await portraitImage();
  for (const p of persons.filter((_, i) => i % 2 === 0)) await must(core, 'persons.setPhoto', { personId: p.id, image: photo, source: 'file', crop: PORTRAIT_CROP }, 'seed.reg');
  mkdirSync(join(dir, 'cards'));
  const cards: TemplateCard[] = [];
  for (const [i, activate] of [
    [0, false],
    [1, true],
  ] as const) {
    const person = persons[i]!;
    const stateFile = join(dir, 'cards', `card${i}.json`);
    const card = VirtualPivCard.loadOrCreate(stateFile);
    reader.insert(card);
    const request = await must<{ id: string }>(core, 'requests.create', { personId: person.id, profile: person.affiliation }, 'seed.reg');
    const approved = await must<{ cardId: string }>(core, 'requests.approve', { requestId: request.id }, 'seed.appr');
    await must(core, 'requests.produce', { requestId: request.id, readerName: READER, pin: MODEL_PIN }, 'seed.prod');
    await idle(core);
    if (activate) await must(core, 'cards.activate', { readerName: READER, pin: MODEL_PIN, card: approved.cardId }, 'seed.sec');
    const status = store.cards.get(approved.cardId)!.status;
    if (status !== (activate ? 'active' : 'produced')) throw new Error(`template card ${i} is ${status}`);
    cards.push({
      id: approved.cardId,
      personId: person.id,
      profile: person.affiliation,
      status,
      requester: seedOfficers['seed.reg'],
      approver: seedOfficers['seed.appr'],
      producer: seedOfficers['seed.prod'],
      stateFile,
    });
    reader.remove();
  }
  // Persons 2 and 6 (contractors, with photos: their profile prints) wait with an approved request.
  const approvedRequests: TemplateRequest[] = [];
  for (const i of [2, 6]) {
    const person = persons[i]!;
    const request = await must<{ id: string }>(core, 'requests.create', { personId: person.id, profile: person.affiliation }, 'seed.reg');
    const approved = await must<{ cardId: string; state: string }>(core, 'requests.approve', { requestId: request.id }, 'seed.appr');
    if (approved.state !== 'approved') throw new Error(`template request ${i} is ${approved.state}`);
    approvedRequests.push({ id: request.id, personId: person.id, profile: person.affiliation, cardId: approved.cardId, requester: seedOfficers['seed.reg'], approver: seedOfficers['seed.appr'] });
  }
  for (const username of Object.keys(seedOfficers)) await core.dispatch('auth.logout', {}, username);
  await station.close();
  return { dir, persons, cards, approvedRequests, seedOfficers, passwordHash, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One sequence's station: a copy of the template, its reader and its officers. */
export interface ModelStation {
  station: Station;
  core: StationCore;
  reader: TrainingReaderProvider;
  /** The virtual cards of the template's cards (card id → card), loaded from the copy. */
  templateCards: Map<string, VirtualPivCard>;
  close(): Promise<void>;
}

/**
 * Opens a fresh copy of `template` with the agency's requester/producer
 * setting as given, a blank card in the reader.
 */
export async function openModelStation(template: ModelTemplate, producerDiffersFromRequester: boolean): Promise<ModelStation> {
  const dir = scratch('piv-model-');
  cpSync(template.dir, dir, { recursive: true });
  if (!producerDiffersFromRequester) writeFileSync(join(dir, 'config.json'), JSON.stringify(modelConfig(false), null, 2));
  const templateCards = new Map<string, VirtualPivCard>();
  for (const c of template.cards) templateCards.set(c.id, VirtualPivCard.loadOrCreate(join(dir, 'cards', basename(c.stateFile))));
  const reader = new TrainingReaderProvider();
  reader.insert(VirtualPivCard.create());
  const station = await openStation({ dataDir: dir, training: true, readers: reader, scrypt: CHEAP_SCRYPT, physical: modelPhysical() } as Parameters<typeof openStation>[0]);
  const core = station.core();
  return {
    station,
    core,
    reader,
    templateCards,
    async close() {
      await idle(core);
      await station.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads a JSON file (the template's config, for tests that check it). */
export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
