/**
 * VirtualPivCard: a software PIV card (SP 800-73-4 card edge plus the YubiKey
 * PIV extensions), its own APDU processing end to end: command chaining
 * (Part 2 Table 2), response chaining with 61xx / GET RESPONSE honouring Le,
 * dispatch to the command handlers, persistence, and fault injection for tests.
 * Its personality (personality.ts) decides which extensions answer, whether
 * extended length is accepted, and the other ways real cards differ.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { StationError } from '../../electron/core/errors.js';
import { Cla, Ins, Sw, type ManagementKeyAlgorithm } from '../../electron/core/piv/constants.js';
import { concatBytes } from '../../electron/core/piv/tlv.js';
import { CardStatusError, SHORT_LE_MAX, parseCommandApdu, responseApdu, type CommandApdu } from './apdu.js';
import { CLA_CHAIN_BIT, SW1_MORE_DATA, SW_NO_DIAGNOSIS, VIRTUAL_CARD_ATR } from './card-constants.js';
import { attest } from './handlers/attestation.js';
import type { CardContext, CommandHandler } from './handlers/context.js';
import { getData, putData } from './handlers/data-objects.js';
import { generalAuthenticate } from './handlers/general-authenticate.js';
import { generateKeyPair, getMetadata, importKey, moveKey } from './handlers/key-commands.js';
import { changeReferenceData, resetRetryCounter, verify } from './handlers/pin-commands.js';
import { select } from './handlers/select.js';
import { getSerial, getVersion, resetApplication, setManagementKey, setPinRetries } from './handlers/yubikey-commands.js';
import { implementsInstruction, resolvePersonality, type CardPersonality, type PersonalityName } from './personality.js';
import { SecurityStatus } from './security.js';
import { readStateFile, writeStateFile } from './state-file.js';
import { operationDelayMs, transferDelayMs, type CardTiming } from './timing.js';
import { newCardState, type CardState } from './state.js';
import { generateSlotKey, type KeyGenerator } from './slot-crypto.js';

/** Test hooks that make the card misbehave like real hardware does. */
export interface CardFaults {
  /** After this many APDUs processed (counting from power-on/attach), the card is "removed": processApdu rejects with StationError CARD_REMOVED and the vpcd link closes its socket. */
  removeAfterApdus?: number;
  /** Answer `sw` instead of executing, for commands whose INS (and optionally P2) match. `times` = how often (default: always). */
  forcedStatus?: { ins: number; p2?: number; sw: number; times?: number }[];
  /** Extra delay in ms added to GENERATE ASYMMETRIC KEY PAIR, as real cards take seconds. */
  keygenDelayMs?: number;
  /** A real card's answer times (timing.ts: per APDU on the wire, per operation), waited before each answer. */
  timing?: CardTiming;
  /**
   * Where GENERATE takes its key pairs (default: generated then, on the host's CPU). The scale
   * bench passes keys made before its clock starts: a real card generates on its own chip (its
   * time is `timing`'s), while this card's RSA generation would take the station's CPU.
   */
  generateKey?: KeyGenerator;
  /**
   * Pulls the card right after it answered its Nth APDU since it was inserted
   * (attach/reinsert; power-on and reset do not restart this count, unlike
   * removeAfterApdus), so a sweep can pull at "APDU index N of a production"
   * whatever resets the reader did in between. The Nth answer still goes out.
   */
  pullAfterInsertedApdus?: number;
  /** Answer `sw` instead of executing the Nth APDU since insertion (1-based): an unexpected status word at one exact point. */
  statusAtApdu?: { index: number; sw: number };
  /** Told about every APDU the card answered, in order (the card-side record sweeps count from). */
  onApdu?: (entry: ApduTraceEntry) => void;
}

/** One answered APDU as the card saw it (header only: never data, which carries PINs and keys). */
export interface ApduTraceEntry {
  /** 1-based index since the card was inserted. */
  index: number;
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** SW1SW2 of the answer. */
  sw: number;
}

/** Options of a new card. */
export interface VirtualCardOptions {
  /** Serial reported by F8 (default: random 8 digits). */
  serial?: number;
  /**
   * Algorithm of the factory 9B key (same bytes 0102…08), overriding the personality's:
   * e.g. 3DES on a `yubikey-like` card for clients that only do 3DES (firmware before 5.7).
   */
  managementKeyAlgorithm?: ManagementKeyAlgorithm;
  /** How the card behaves (default `yubikey-like`): a named personality, or custom switches. */
  personality?: PersonalityName | CardPersonality;
  faults?: CardFaults;
}

/** The command handlers by INS. */
const HANDLERS: ReadonlyMap<number, CommandHandler> = new Map<number, CommandHandler>([
  [Ins.SELECT, select],
  [Ins.GET_DATA, getData],
  [Ins.PUT_DATA, putData],
  [Ins.VERIFY, verify],
  [Ins.CHANGE_REFERENCE_DATA, changeReferenceData],
  [Ins.RESET_RETRY_COUNTER, resetRetryCounter],
  [Ins.GENERAL_AUTHENTICATE, generalAuthenticate],
  [Ins.GENERATE_ASYMMETRIC_KEY_PAIR, generateKeyPair],
  [Ins.GET_VERSION, getVersion],
  [Ins.GET_SERIAL, getSerial],
  [Ins.GET_METADATA, getMetadata],
  [Ins.SET_MANAGEMENT_KEY, setManagementKey],
  [Ins.IMPORT_KEY, importKey],
  [Ins.RESET, resetApplication],
  [Ins.SET_PIN_RETRIES, setPinRetries],
  [Ins.ATTEST, attest],
  [Ins.MOVE_KEY, moveKey],
]);

/** A command chain being assembled (CLA 10 blocks so far). */
interface PendingChain {
  ins: number;
  p1: number;
  p2: number;
  parts: Uint8Array[];
}

export class VirtualPivCard {
  /** Answer-to-reset (see VIRTUAL_CARD_ATR). */
  readonly atr: Uint8Array = VIRTUAL_CARD_ATR.slice();
  /** Fault injection; may be changed at any time. */
  faults: CardFaults;

  private readonly state: CardState;
  private readonly statePath: string | undefined;
  private lastSaved = '';
  private readonly security = new SecurityStatus();
  private powered = true;
  private chain: PendingChain | undefined;
  private pendingResponse: Uint8Array | undefined;
  private apduCount = 0;
  private insertedApduCount = 0;
  private isRemoved = false;
  private readonly removalListeners = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(state: CardState, statePath: string | undefined, faults: CardFaults | undefined) {
    this.state = state;
    this.statePath = statePath;
    this.faults = faults ?? {};
    this.persist();
  }

  /**
   * A new card in factory state (PIN 123456, PUK 12345678, 9B 0102…08).
   * @throws StationError INVALID_INPUT for an unknown personality or a 9B algorithm it does not allow
   */
  static create(opts: VirtualCardOptions = {}): VirtualPivCard {
    return new VirtualPivCard(newCardState(cardStateOptions(opts)), undefined, opts.faults);
  }

  /**
   * Loads persisted state from `path` (or creates a new card there); the card
   * then saves to `path` after every state change (atomic write: tmp + rename).
   * `opts.serial` / `managementKeyAlgorithm` / `personality` only apply when the file
   * is created; the card keeps the personality stored in its file.
   * @throws StationError INTERNAL when the file exists but is not a card state;
   *         INVALID_INPUT when `opts.personality` names another personality than the file's
   */
  static loadOrCreate(path: string, opts: VirtualCardOptions = {}): VirtualPivCard {
    const stored = readStateFile(path);
    if (stored && typeof opts.personality === 'string' && opts.personality !== stored.personality.name) {
      throw new StationError(
        'INVALID_INPUT',
        `The card in this state file is ${stored.personality.name}; a personality applies only to a new card.`,
        { field: 'personality', path },
      );
    }
    return new VirtualPivCard(stored ?? newCardState(cardStateOptions(opts)), path, opts.faults);
  }

  /** Serial number (F8). */
  get serial(): number {
    return this.state.serial;
  }

  /** A copy of the card's behaviour switches. */
  get personality(): CardPersonality {
    return structuredClone(this.state.personality);
  }

  /**
   * A deep copy of the persistent state (keys, objects, counters, 9B key,
   * personality): what a test compares to prove a card was left untouched.
   */
  snapshot(): CardState {
    return structuredClone(this.state);
  }

  /** True once removeAfterApdus fired (until reinsert()). */
  get removed(): boolean {
    return this.isRemoved;
  }

  /** Power on (cold reset): clears the security status. */
  powerOn(): void {
    this.clearVolatile();
    this.apduCount = 0;
    this.powered = true;
  }

  /** Power off: clears the security status. */
  powerOff(): void {
    this.clearVolatile();
    this.powered = false;
  }

  /** Warm reset: clears the security status; PIV stays selected. */
  reset(): void {
    this.clearVolatile();
    this.powered = true;
  }

  /** Puts a removed card back (clears `removed` and the APDU count); faults stay as set. */
  reinsert(): void {
    this.isRemoved = false;
    this.insertedApduCount = 0;
    this.powerOn();
  }

  /** Calls `listener` when the card becomes removed. @returns unsubscribe */
  onRemoved(listener: () => void): () => void {
    this.removalListeners.add(listener);
    return () => this.removalListeners.delete(listener);
  }

  /**
   * One C-APDU in, one R-APDU out (data ‖ SW1 SW2). Commands are processed one
   * at a time in arrival order.
   * @throws StationError CARD_REMOVED once the card is removed
   */
  processApdu(capdu: Uint8Array): Promise<Uint8Array> {
    const run = this.queue.then(() => this.process(capdu));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private clearVolatile(): void {
    this.security.clear();
    this.chain = undefined;
    this.pendingResponse = undefined;
  }

  private removalDue(): boolean {
    const limit = this.faults.removeAfterApdus;
    const pull = this.faults.pullAfterInsertedApdus;
    return (limit !== undefined && this.apduCount >= limit) || (pull !== undefined && this.insertedApduCount >= pull);
  }

  private markRemoved(): void {
    if (this.isRemoved) return;
    this.isRemoved = true;
    this.clearVolatile();
    for (const l of [...this.removalListeners]) l();
  }

  private async process(capdu: Uint8Array): Promise<Uint8Array> {
    if (!this.isRemoved && this.removalDue()) this.markRemoved();
    if (this.isRemoved) throw new StationError('CARD_REMOVED', 'The card was removed from the reader.');
    if (!this.powered) this.powerOn();
    this.apduCount++;
    this.insertedApduCount++;
    const index = this.insertedApduCount;
    const forced = this.faults.statusAtApdu;
    const response = forced?.index === index ? responseApdu(new Uint8Array(0), forced.sw) : await this.respond(capdu);
    const timing = this.faults.timing;
    if (timing) await sleep(transferDelayMs(timing, capdu.length, response.length));
    this.persist();
    this.faults.onApdu?.({
      index,
      cla: capdu[0] ?? 0,
      ins: capdu[1] ?? 0,
      p1: capdu[2] ?? 0,
      p2: capdu[3] ?? 0,
      sw: ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0),
    });
    if (this.removalDue()) this.markRemoved();
    return response;
  }

  private forcedStatus(ins: number, p2: number): number | undefined {
    const list = this.faults.forcedStatus;
    if (!list) return undefined;
    const i = list.findIndex((f) => f.ins === ins && (f.p2 === undefined || f.p2 === p2) && (f.times === undefined || f.times > 0));
    if (i < 0) return undefined;
    const f = list[i]!;
    if (f.times !== undefined) f.times -= 1;
    return f.sw;
  }

  private async respond(capdu: Uint8Array): Promise<Uint8Array> {
    let cmd: CommandApdu;
    try {
      cmd = parseCommandApdu(capdu);
    } catch (e) {
      return responseApdu(new Uint8Array(0), e instanceof CardStatusError ? e.sw : SW_NO_DIAGNOSIS);
    }
    const forced = this.forcedStatus(cmd.ins, cmd.p2);
    if (forced !== undefined) return responseApdu(new Uint8Array(0), forced);
    if ((cmd.cla & ~CLA_CHAIN_BIT) !== Cla.PLAIN) return responseApdu(new Uint8Array(0), Sw.CLA_NOT_SUPPORTED);
    const personality = this.state.personality;
    // A card without extended length does not know the form: wrong length (ISO 7816-4 §5.1).
    if (cmd.extended && !personality.extendedLength) return responseApdu(new Uint8Array(0), Sw.WRONG_LENGTH);
    if (!implementsInstruction(personality, cmd.ins)) return responseApdu(new Uint8Array(0), Sw.INS_NOT_SUPPORTED);

    if (cmd.ins === Ins.GET_RESPONSE) return this.getResponse(cmd);
    this.pendingResponse = undefined;
    if (cmd.ins !== Ins.GENERAL_AUTHENTICATE) this.security.pendingChallenge = undefined;

    const assembled = this.assembleChain(cmd);
    if (!assembled) return responseApdu(new Uint8Array(0), Sw.SUCCESS);

    const handler = HANDLERS.get(assembled.ins);
    if (!handler) return responseApdu(new Uint8Array(0), Sw.INS_NOT_SUPPORTED);
    const ctx: CardContext = { state: this.state, security: this.security, keygenDelayMs: this.faults.keygenDelayMs ?? 0, generateKey: this.faults.generateKey ?? generateSlotKey };
    const timing = this.faults.timing;
    if (timing) await sleep(operationDelayMs(timing, assembled.ins, assembled.p1, assembled.p2, assembled.data));
    try {
      const data = await handler(assembled, ctx);
      return this.deliver(data, assembled.le);
    } catch (e) {
      if (e instanceof CardStatusError) return responseApdu(new Uint8Array(0), e.sw);
      return responseApdu(new Uint8Array(0), SW_NO_DIAGNOSIS);
    }
  }

  /**
   * Command chaining: a CLA 10 block is stored (answer 9000); the final CLA 00
   * block of the same INS/P1/P2 gets the whole data. Any other command drops an
   * unfinished chain, which rolls back a chained GENERAL AUTHENTICATE (Part 2 §3.2.4).
   * @returns the complete command, or undefined when more blocks are expected
   */
  private assembleChain(cmd: CommandApdu): CommandApdu | undefined {
    const chain = this.chain;
    const continues = chain !== undefined && chain.ins === cmd.ins && chain.p1 === cmd.p1 && chain.p2 === cmd.p2;
    if (cmd.cla & CLA_CHAIN_BIT) {
      if (continues) chain.parts.push(cmd.data);
      else this.chain = { ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, parts: [cmd.data] };
      return undefined;
    }
    this.chain = undefined;
    if (!continues) return cmd;
    return { ...cmd, data: concatBytes(...chain.parts, cmd.data) };
  }

  /** Sends at most Le bytes (none given: 256) and leaves the rest for GET RESPONSE (61xx). */
  private deliver(data: Uint8Array, le: number | undefined): Uint8Array {
    const max = le ?? SHORT_LE_MAX;
    if (data.length <= max) return responseApdu(data, Sw.SUCCESS);
    const rest = data.subarray(max);
    this.pendingResponse = rest;
    // 61 00 means "256 or more".
    return responseApdu(data.subarray(0, max), (SW1_MORE_DATA << 8) | (rest.length >= SHORT_LE_MAX ? 0 : rest.length));
  }

  /** GET RESPONSE `00 C0 00 00 Le`: the next part of the pending response. */
  private getResponse(cmd: CommandApdu): Uint8Array {
    const pending = this.pendingResponse;
    this.pendingResponse = undefined;
    if (!pending) return responseApdu(new Uint8Array(0), Sw.CONDITIONS_NOT_SATISFIED);
    return this.deliver(pending, cmd.le);
  }

  private persist(): void {
    if (!this.statePath) return;
    const json = JSON.stringify(this.state);
    if (json === this.lastSaved) return;
    writeStateFile(this.statePath, json);
    this.lastSaved = json;
  }
}

/** @throws StationError INVALID_INPUT for an unknown personality or a factory 9B algorithm it does not allow */
function cardStateOptions(opts: VirtualCardOptions): Parameters<typeof newCardState>[0] {
  const personality = resolvePersonality(opts.personality);
  const alg = opts.managementKeyAlgorithm;
  if (alg && !personality.managementKey.allowed.includes(alg)) {
    throw new StationError('INVALID_INPUT', `A ${personality.name} card cannot have a ${alg} management key.`, { field: 'managementKeyAlgorithm' });
  }
  return {
    personality,
    ...(opts.serial !== undefined ? { serial: opts.serial } : {}),
    ...(alg ? { managementKeyAlgorithm: alg } : {}),
  };
}
