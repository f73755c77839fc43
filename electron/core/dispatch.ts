/**
 * The only door into the core (DESIGN.md "StationApi"): `dispatch(channel, raw)`
 * validates the input with the contract's zod schema, authenticates and
 * authorizes the caller, runs the channel's handler, and validates the
 * result. Every face (Electron IPC, browser host, CLI) calls this; none holds
 * a rule of its own. Errors come back as values (`{ ok: false, error }`) with
 * a stable code and no secret.
 *
 * createCore is the core's own composition: the services the handlers share
 * (./api/core-services.ts), the background job runner (./api/job-runner.ts),
 * the reader watch (./api/reader-watch.ts), the handlers by domain
 * (./api/handlers/), and the core's timers (session lock, card expiry).
 */
import { issuesSentence } from '../contract/input-sentence.js';
import { randomUUID } from 'node:crypto';
import {
  BACKGROUND_CHANNELS,
  CHANNEL_ROLES,
  EVENTS,
  IDPRS_CHANNELS,
  channels,
  type Channel,
  type EventName,
  type EventPayload,
  type Result,
} from '../contract/station-api.js';
import { StationError, toStationError } from './errors.js';
import { authorizeChannel } from './workflow/authorization.js';
import type { Caller, IdprsDoor } from './workflow/types.js';
import { AuditService } from './audit/service.js';
import { BatchService } from './issuance/batch-service.js';
import { batchJobs, batchRequests } from './issuance/batch-ports.js';
import type { LifecycleService } from './lifecycle/service.js';
import { KioskService } from './workflow/kiosk.js';
import { OutboxService } from './notifications/service.js';
import type { CallContext } from './api/call-context.js';
import type { CorePorts, CoreServices } from './api/core-services.js';
import { CardFaceService } from './physical/card-face-service.js';
import { JobRunner } from './api/job-runner.js';
import { ReaderWatch } from './api/reader-watch.js';
import { allHandlers } from './api/handlers/index.js';
import { assertReaderForStation, readersForStation } from './policy/training-reader.js';

export type { CorePorts } from './api/core-services.js';

/** The core as the faces see it. */
export interface StationCore {
  /**
   * Validates, authorizes, runs. Never throws: failures are `{ ok: false, error }`.
   * @param connectionId the face's connection (one WebSocket, one webContents, one CLI run): the officer session is bound to it
   */
  dispatch(channel: string, raw: unknown, connectionId?: string): Promise<Result<unknown>>;
  /**
   * Subscribes to an event; returns the unsubscribe function. `target` is the
   * connection id when the event concerns one connection only (session.locked),
   * undefined for events every connection receives.
   */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>, target?: string) => void): () => void;
  /**
   * The events one connection of a face may hear, as they happen (the faces
   * that carry events to remote screens use this, never `on`): an event for
   * one connection (session.locked) goes to that connection only; every other
   * event only to a connection an officer is logged in on. A connection that
   * never logged in (a login screen, a kiosk, a stranger's socket) hears
   * nothing: the login screen needs no event.
   * @returns the unsubscribe function
   */
  subscribe(connectionId: string, listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void): () => void;
  /**
   * A connection of the IDPRS, for the door that authenticated it (the CPR
   * endpoint checked its token or client certificate; the drop folder is the
   * IDPRS's directory). On it, only the IDPRS channels answer (IDPRS_CHANNELS);
   * the calls are audited as 'idprs'. Only in-process faces hold the core, so
   * no remote caller can open one.
   * @returns the connection id to dispatch on, and `close` to end it
   */
  openIdprsConnection(door: IdprsDoor): { connectionId: string; close(): void };
  /**
   * Places a connection in a window (the browser host: its launch), so what
   * belongs to the window and not to one socket survives a reload: kiosk mode
   * (workflow/kiosk.ts). A connection placed nowhere is a window of its own
   * (the Electron shell's connection already is its window's webContents).
   */
  joinWindow(connectionId: string, windowId: string): void;
  /** Waits until no production job, card probe or batch work the core started is under way (tests; shutdown). */
  idle(): Promise<void>;
  /** Stops watching readers and waits for running jobs to settle. */
  close(): Promise<void>;
}

/** How often idle sessions are checked for the lock (ms); the lock time itself is minutes. */
const IDLE_CHECK_MS = 15_000;
/** How often cards past their expiration date are marked expired (ms); also once when the core starts. */
const EXPIRY_CHECK_MS = 60 * 60_000;

/** Connection id used when a face passes none (CLI, tests). */
export const LOCAL_CONNECTION = 'local';

/** Builds the core over its ports. */
export function createCore(corePorts: CorePorts): StationCore {
  // On a real station the training reader is neither listed nor opened (issue 10, finding 9), whatever readers a face passes.
  const ports: CorePorts = { ...corePorts, readers: readersForStation(corePorts.readers, corePorts.training) };
  const { store, production, officers, requests } = ports;
  const listeners = new Map<EventName, Set<(p: unknown, target?: string) => void>>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>, target?: string) => {
    for (const l of listeners.get(event) ?? []) {
      try {
        l(payload, target);
      } catch {
        // a faulty listener must not break the core
      }
    }
  };
  const { profiles } = ports;
  const { rules } = ports;
  const readers = new ReaderWatch({ readers: ports.readers, store, onChange: (list) => emit('reader.changed', list) });
  const jobs = new JobRunner({ readers, claims: production.claims, jobSettled: (jobId) => requests.jobSettled(jobId), emit: (payload) => emit('job.event', payload) });

  const offLocked = officers.onLocked((connectionId) => emit('session.locked', {}, connectionId));
  const offRequests = requests.onChanged((c) => emit('request.changed', c));
  /** Mass production: batch jobs run like any production (busy reader, job events, one-time secrets). */
  const batches = new BatchService({
    store,
    readers: ports.readers,
    requests: batchRequests(store),
    jobs: batchJobs({
      production,
      requests,
      listener: jobs.listener,
      track: async (jobId, readerName, work) => {
        // The card's producer (the batch's starter, or the officer who retried it) ran the job: only they take its one-time secrets.
        const producedBy = store.cards.get(store.jobs.get(jobId)?.cardId ?? '')?.producedBy;
        const owner = producedBy ? store.officers.get(producedBy)?.username : undefined;
        const { outcome, error } = await jobs.launch(jobId, readerName, work, owner);
        if (!outcome) throw error ?? new StationError('INTERNAL', 'The production could not run.');
        return outcome;
      },
    }),
    training: ports.training,
    isReaderBusy: (name) => readers.isBusy(name),
    onChange: (c) => emit('batch.changed', c),
    pinPolicyOf: (profileId) => profiles.profile(profileId).pinPolicy,
    secretsWaiting: (jobId) => jobs.hasSecrets(jobId),
    productionRefusal: (requestId, actor) => requests.productionRefusal(requestId, actor.officerId, 'batches.start'),
  });
  // Batches left running by a stopped station resume watching the readers (opened once).
  let batchesOpened: Promise<void> | undefined;
  const openBatches = () => (batchesOpened ??= batches.open().catch(() => {}));
  const expireCards = () => {
    try {
      ports.lifecycle?.expireDue();
    } catch {
      // a busy or failing store: the next pass marks them
    }
  };
  const timers: NodeJS.Timeout[] = [];
  if (ports.background !== false) {
    void openBatches();
    timers.push(setInterval(() => officers.checkIdle(), IDLE_CHECK_MS));
    expireCards();
    timers.push(setInterval(expireCards, EXPIRY_CHECK_MS));
    timers.forEach((t) => t.unref());
    readers.start();
  }

  const services: CoreServices = {
    ports,
    store,
    production,
    officers,
    requests,
    audit: new AuditService({ store, signer: ports.auditSigner, anchorFile: ports.config.auditAnchor?.file }),
    kiosks: new KioskService({ store, config: ports.config, officers, requests, profiles, now: ports.now }),
    outbox: new OutboxService({ store, config: ports.config }),
    profiles,
    faces: new CardFaceService({ store, config: ports.config, profiles, rules, physical: ports.physical, now: ports.now }),
    batches,
    openBatches,
    jobs,
    readers,
    rules,
    async readerReady(readerName) {
      readers.assertFree(readerName);
      await assertReaderForStation(ports.readers, readerName, ports.training);
    },
    emit,
    lifecycle(): LifecycleService {
      if (!ports.lifecycle) throw new StationError('UNSUPPORTED', 'Card lifecycle operations are not available on this station.');
      return ports.lifecycle;
    },
  };
  const { kiosks } = services;
  function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>, target?: string) => void): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as (p: unknown, target?: string) => void);
    return () => set!.delete(listener as (p: unknown, target?: string) => void);
  }
  const handlers = allHandlers(services);
  /** Open IDPRS connections and their doors. */
  const idprsConnections = new Map<string, IdprsDoor>();

  return {
    async dispatch(channel, raw, connectionId = LOCAL_CONNECTION) {
      try {
        if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(channels, channel)) {
          throw new StationError('INVALID_INPUT', 'Unknown request.', { channel: String(channel).slice(0, 64) });
        }
        const c = channel as Channel;
        // Authorization before the input is even read: a caller without the right learns nothing about the channel.
        let caller: Caller = { kind: 'anonymous' };
        const idprsDoor = idprsConnections.get(connectionId);
        // A kiosk connection may call only kiosk and public channels; kiosk channels only there (workflow/kiosk.ts).
        const kiosk = idprsDoor ? undefined : kiosks.gate(c, connectionId, () => officers.caller(connectionId));
        if (idprsDoor) {
          if (!IDPRS_CHANNELS.has(c)) throw new StationError('FORBIDDEN', 'The IDPRS may only submit, query and delete CPRs.', { channel: c, rule: 'idprsOnly' });
          caller = { kind: 'idprs', door: idprsDoor };
        } else if (kiosk) {
          caller = kiosk;
        } else if (c === 'auth.logout') {
          // Logging out works on a locked session too.
        } else if (CHANNEL_ROLES[c] !== 'public') {
          caller = officers.caller(connectionId, { activity: !BACKGROUND_CHANNELS.has(c) });
          authorizeChannel(c, caller.officer);
        }
        // Only an absent input means {} (parameterless channels); null is garbage like any other non-object.
        const parsed = channels[c].input.safeParse(raw === undefined ? {} : raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          // Every problem in words with its field named (contract/input-sentence.ts), never the validator's text.
          throw new StationError('INVALID_INPUT', issuesSentence(parsed.error.issues), {
            channel: c,
            field: issue?.path.join('.') ?? '',
          });
        }
        const handler = handlers[c] as (input: unknown, ctx: CallContext) => Promise<unknown>;
        const value = await handler(parsed.data, { connectionId, caller });
        const out = channels[c].output.safeParse(value);
        if (!out.success) throw new StationError('INTERNAL', 'The station produced an unexpected result.', { channel: c });
        return { ok: true, value: out.data };
      } catch (e) {
        const err = toStationError(e);
        return { ok: false, error: { code: err.code, message: err.message, details: err.details, retryable: err.retryable } };
      }
    },
    on,
    subscribe(connectionId, listener) {
      const offs = EVENTS.map((event) =>
        on(event, (payload, target) => {
          if (target !== undefined ? target === connectionId : officers.hasSession(connectionId)) listener(event, payload);
        }),
      );
      return () => offs.forEach((off) => off());
    },
    openIdprsConnection(door) {
      const connectionId = `idprs:${door}:${randomUUID()}`;
      idprsConnections.set(connectionId, door);
      return { connectionId, close: () => void idprsConnections.delete(connectionId) };
    },
    joinWindow(connectionId, windowId) {
      kiosks.joinWindow(connectionId, windowId);
    },
    async idle() {
      await batchesOpened;
      // A job's end may start a probe, a probe's end a batch job: until all three are quiet.
      for (;;) {
        await jobs.idle();
        await readers.idle();
        await batches.idle();
        if (!jobs.hasRunning() && !readers.hasProbes()) return;
      }
    },
    async close() {
      timers.forEach((t) => clearInterval(t));
      offLocked();
      offRequests();
      await readers.close();
      await batchesOpened;
      await batches.close();
      await jobs.close();
    },
  };
}
