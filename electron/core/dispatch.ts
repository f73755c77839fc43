/**
 * The only door into the core (DESIGN.md "StationApi"): `dispatch(channel, raw)`
 * validates the input with the contract's zod schema, runs the service, and
 * validates the result. Every face (Electron IPC, browser host, CLI) calls
 * this; none holds a rule of its own. Errors come back as values
 * (`{ ok: false, error }`) with a stable code and no secret.
 */
import { z } from 'zod';
import {
  channels,
  type Channel,
  type ChannelOutput,
  type EventName,
  type EventPayload,
  type JobDetail,
  type JobSummary,
  type Profile,
  type Reader,
  type Result,
} from '../contract/station-api.js';
import { StationError, toStationError } from './errors.js';
import type { StationStore } from './store/store.js';
import type { JobRecord, PersonRecord } from './store/records.js';
import type { ProductionService, ProductionOutcome } from './issuance/production-service.js';
import type { JobEvent } from './issuance/job-types.js';
import type { ReaderProvider, ReaderStatus } from './piv/transport.js';
import type { StationConfig } from './config/station-config.js';
import type { CertificateAuthority } from './pki/ca.js';
import { PivSession } from './piv/session.js';
import { verifyCard, type VerificationReport } from './issuance/verify-card.js';
import { recognizeCard } from './card-recognition.js';
import { guidToUuid } from './issuance/steps/chuid-step.js';
import { isJobRunning } from './issuance/engine.js';
import { ProfileRegistry, type ProfileEntry } from './workflow/profile-registry.js';
import type { OfficerService } from './workflow/officers.js';
import type { RequestService } from './workflow/requests.js';
import { actorOf, authorizeChannel } from './workflow/authorization.js';
import { RuleBook } from './policy/rule-book.js';
import { assertReaderForStation, readersForStation } from './policy/training-reader.js';
import type { Caller } from './workflow/types.js';
import { CHANNEL_ROLES } from '../contract/station-api.js';
import { BACKGROUND_CHANNELS } from '../contract/station-api.js';
import { AuditService } from './audit/service.js';
import type { AuditHeadSigner } from './audit/head-signer.js';
import { BatchService, type BatchActor } from './issuance/batch-service.js';
import { batchJobs, batchRequests } from './issuance/batch-ports.js';
import type { LifecycleService } from './lifecycle/service.js';
import { KioskService } from './workflow/kiosk.js';
import { editPerson } from './workflow/person-edit.js';
import { importPersons } from './workflow/person-import.js';
import { OutboxService } from './notifications/service.js';

/** What the core needs from the composition root. */
export interface CorePorts {
  store: StationStore;
  production: ProductionService;
  officers: OfficerService;
  requests: RequestService;
  readers: ReaderProvider;
  ca: Pick<CertificateAuthority, 'trustAnchors'>;
  config: StationConfig;
  training: boolean;
  version: string;
  /** Card lifecycle (revoke, suspend, resume, activate, unlock, reissue, recycle, CRL); without it those channels answer UNSUPPORTED. */
  lifecycle?: LifecycleService;
  /** The rule book the services ask (default: one over the store and config). */
  rules?: RuleBook;
  /** The station's audit head signer (attachAuditSigner); without it signed heads are checked against their stored public keys only. */
  auditSigner?: AuditHeadSigner;
  /** Clock of the kiosk's idle timeout and throttling (tests pass time with it). */
  now?: () => Date;
}

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
  /** Waits until no production job, card probe or batch work the core started is under way (tests; shutdown). */
  idle(): Promise<void>;
  /** Stops watching readers and waits for running jobs to settle. */
  close(): Promise<void>;
}

/** Who is calling a handler: the connection the call came on (sessions are bound to it) and its officer. */
interface CallContext {
  connectionId: string;
  /** The logged-in officer for every non-public channel; anonymous for public ones. */
  caller: Caller;
}

/** How often idle sessions are checked for the lock (ms); the lock time itself is minutes. */
const IDLE_CHECK_MS = 15_000;
/** How often cards past their expiration date are marked expired (ms); also once when the core starts. */
const EXPIRY_CHECK_MS = 60 * 60_000;

/** The officer of an authorized call (non-public channels always have one). */
function officerOf(ctx: CallContext) {
  if (ctx.caller.kind !== 'officer') throw new StationError('NOT_AUTHENTICATED', 'Log in as an officer first.');
  return ctx.caller.officer;
}

type Handlers = { [C in Channel]: (input: z.infer<(typeof channels)[C]['input']>, ctx: CallContext) => Promise<ChannelOutput<C>> };

/** Connection id used when a face passes none (CLI, tests). */
export const LOCAL_CONNECTION = 'local';

/** Builds the core over its ports. */
export function createCore(corePorts: CorePorts): StationCore {
  // On a real station the training reader is neither listed nor opened (finding 9), whatever readers a face passes.
  const ports: CorePorts = { ...corePorts, readers: readersForStation(corePorts.readers, corePorts.training) };
  const { store, production, officers, requests } = ports;
  const rules = ports.rules ?? new RuleBook({ store, config: ports.config });
  const audit = new AuditService({ store, signer: ports.auditSigner });
  const kiosks = new KioskService({ store, config: ports.config, officers, requests, now: ports.now });
  const outbox = new OutboxService({ store });
  const profiles = new ProfileRegistry({ store, config: ports.config });
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
  /**
   * One-time secrets of finished jobs, held in memory until the production
   * screen takes them, bound to the officer whose call ran the job (undefined:
   * a batch run, any production officer may take them).
   */
  const oneTimeSecrets = new Map<string, { puk?: string; pin?: string; owner?: string }>();
  const runningJobs = new Map<string, Promise<unknown>>();
  /** Readers with a job running: not probed. */
  const busyReaders = new Set<string>();
  const cardKinds = new Map<string, Reader['card']>();
  /** Card recognitions in flight, per reader (each settles, never rejects). */
  const probes = new Map<string, Promise<void>>();

  /**
   * A job's ending event (finished/failed) is held back until the job has
   * fully settled (session closed, reader free), so a client reacting to it
   * (Retry, takeSecrets) never finds the job still running.
   */
  const heldEndings = new Map<string, EventPayload<'job.event'>>();
  const jobListener = (e: JobEvent) => {
    const { type, jobId } = e;
    const payload: EventPayload<'job.event'> = {
      type,
      jobId,
      step: 'step' in e ? e.step : undefined,
      index: 'index' in e ? e.index : undefined,
      total: 'total' in e ? e.total : undefined,
      ms: 'ms' in e ? e.ms : undefined,
      sentence: 'sentence' in e ? e.sentence : undefined,
    };
    if ((type === 'job.finished' || type === 'job.failed') && runningJobs.has(jobId)) heldEndings.set(jobId, payload);
    else emit('job.event', payload);
  };

  /** Runs a production in the background; events report progress; the call returns the job id at once. */
  /** @returns when the job has settled: its outcome, or the error that stopped it (never rejects) */
  /** @param owner the username of the officer whose call runs the job: only they may take its one-time secrets */
  function launch(jobId: string, readerName: string, work: () => Promise<ProductionOutcome>, owner?: string): Promise<{ outcome?: ProductionOutcome; error?: StationError }> {
    busyReaders.add(readerName);
    // A card probe still talking to this reader would make the job's exclusive connect fail: let it finish first.
    const probing = probes.get(readerName) ?? Promise.resolve();
    runningJobs.set(jobId, Promise.resolve()); // registered before any event can arrive
    const settled: { outcome?: ProductionOutcome; error?: StationError } = {};
    const p = probing
      .then(work)
      .then((outcome) => {
        settled.outcome = outcome;
        if (outcome.oneTimeSecrets && (outcome.oneTimeSecrets.puk || outcome.oneTimeSecrets.pin)) oneTimeSecrets.set(jobId, { ...outcome.oneTimeSecrets, owner });
      })
      .catch((e) => {
        settled.error = toStationError(e);
        heldEndings.set(jobId, { type: 'job.failed', jobId, sentence: settled.error.message });
      })
      .finally(() => {
        busyReaders.delete(readerName);
        runningJobs.delete(jobId);
        try {
          requests.jobSettled(jobId);
        } catch {
          // the request follows its job at the next settle; the job's own record is authoritative
        }
        const ending = heldEndings.get(jobId);
        heldEndings.delete(jobId);
        if (ending) emit('job.event', ending);
        void refreshReaders().catch(() => {});
      });
    runningJobs.set(jobId, p);
    return p.then(() => settled);
  }

  async function readersWithKinds(list: ReaderStatus[]): Promise<Reader[]> {
    const out: Reader[] = [];
    for (const r of list) {
      let kind: Reader['card'] = 'none';
      if (r.cardPresent) {
        const key = `${r.name}|${r.atr ?? ''}`;
        kind = cardKinds.get(key) ?? 'unknown';
        if (!cardKinds.has(key) && !busyReaders.has(r.name)) {
          // Registered synchronously with the busy check, so a job launched meanwhile waits for it.
          const probe = recognizeCard(ports.readers, r.name, store);
          const settled = probe.then(() => undefined, () => undefined);
          probes.set(r.name, settled);
          try {
            kind = await probe;
            // 'unknown' (reader busy, card pulled during the probe) is not remembered: probe again next time.
            if (kind !== 'unknown') cardKinds.set(key, kind);
          } finally {
            if (probes.get(r.name) === settled) probes.delete(r.name);
          }
        }
      }
      out.push({ name: r.name, cardPresent: r.cardPresent, atr: r.atr, training: r.training, card: kind });
    }
    return out;
  }

  async function refreshReaders(): Promise<Reader[]> {
    const list = await readersWithKinds(await ports.readers.listReaders());
    emit('reader.changed', list);
    return list;
  }

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
      listener: jobListener,
      track: async (jobId, readerName, work) => {
        const { outcome, error } = await launch(jobId, readerName, work);
        if (!outcome) throw error ?? new StationError('INTERNAL', 'The production could not run.');
        return outcome;
      },
    }),
    training: ports.training,
    isReaderBusy: (name) => busyReaders.has(name),
    onChange: (c) => emit('batch.changed', c),
    pinPolicyOf: (profileId) => profiles.profile(profileId).pinPolicy,
    productionRefusal: (requestId, actor) => requests.productionRefusal(requestId, actor.officerId, 'batches.start'),
  });
  // Batches left running by a stopped station resume watching the readers.
  const batchesOpened = batches.open().catch(() => {});
  const batchActor = (ctx: CallContext): BatchActor => {
    const o = officerOf(ctx);
    return { officerId: o.id, username: o.username, personId: o.personId };
  };
  const idleTimer = setInterval(() => officers.checkIdle(), IDLE_CHECK_MS);
  idleTimer.unref();
  const expireCards = () => {
    try {
      ports.lifecycle?.expireDue();
    } catch {
      // a busy or failing store: the next pass marks them
    }
  };
  expireCards();
  const expiryTimer = setInterval(expireCards, EXPIRY_CHECK_MS);
  expiryTimer.unref();

  const unwatch = ports.readers.watch((list) => {
    // A card that left or changed must be recognized again.
    for (const key of [...cardKinds.keys()]) {
      const [name, atr] = key.split('|');
      if (!list.some((r) => r.name === name && r.cardPresent && (r.atr ?? '') === atr)) cardKinds.delete(key);
    }
    void readersWithKinds(list).then((readers) => emit('reader.changed', readers), () => {});
  });

  const lifecycleOf = (): LifecycleService => {
    if (!ports.lifecycle) throw new StationError('UNSUPPORTED', 'Card lifecycle operations are not available on this station.');
    return ports.lifecycle;
  };
  /** The reader may take a production or a desk operation now: no job holds it, and no training reader on a real station. */
  async function assertReaderReady(readerName: string): Promise<void> {
    if (busyReaders.has(readerName)) throw new StationError('READER_BUSY', `A card is already being produced in ${readerName}.`);
    await assertReaderForStation(corePorts.readers, readerName, ports.training);
  }

  /** A desk operation on the card in `readerName`: never while a job or a probe holds that reader. */
  async function atDesk<T>(readerName: string, work: () => Promise<T>): Promise<T> {
    await assertReaderReady(readerName);
    await probes.get(readerName);
    busyReaders.add(readerName);
    try {
      return await work();
    } finally {
      busyReaders.delete(readerName);
      // The card changed (recycled to a blank, activated): recognized again at the next reader listing, not now,
      // so a probe never races the officer's next desk operation for the reader.
      for (const key of [...cardKinds.keys()]) if (key.startsWith(`${readerName}|`)) cardKinds.delete(key);
    }
  }

  const personOut = (p: PersonRecord) => ({
    id: p.id,
    givenName: p.givenName,
    surname: p.surname,
    email: p.email,
    employeeId: p.employeeId,
    affiliation: p.affiliation,
    createdAt: p.createdAt,
  });

  const profileOut = (e: ProfileEntry): Profile => ({ ...e.profile, version: e.version, updatedAt: e.updatedAt, updatedBy: e.updatedBy });

  function summary(job: JobRecord): JobSummary {
    const person = store.persons.get(job.personId);
    return {
      id: job.id,
      status: job.status,
      personId: job.personId,
      personName: person ? `${person.givenName} ${person.surname}` : '',
      readerName: job.readerName,
      failedStep: job.failedStep,
      failure: job.status === 'failed' ? (job.error?.message ?? null) : null,
      errorCode: job.error?.code ?? null,
      retryable: job.error ? job.error.retryable : null,
      cancelReason: job.cancelReason,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
    };
  }

  function detail(jobId: string): JobDetail {
    const shown = production.show(jobId);
    const card = shown.card;
    const verification = shown.steps.find((s) => s.name === 'verify')?.data?.report as VerificationReport | undefined;
    return {
      ...summary(shown.job),
      steps: shown.steps.map((s) => ({
        name: s.name,
        label: s.label,
        status: s.status,
        attempts: s.attempts,
        startedAt: s.startedAt,
        finishedAt: s.finishedAt,
        ms: typeof s.data?.ms === 'number' ? s.data.ms : undefined,
      })),
      card: card
        ? {
            id: card.id,
            serial: card.chipSerial,
            guid: guidToUuid(card.guid),
            fascn: card.fascn,
            credentialNumber: card.credentialNumber,
            status: card.status,
            expirationDate: card.expirationDate,
          }
        : null,
      certificates: card ? store.certificates.listByCard(card.id).map((c) => ({ slot: c.slot, serial: c.serial, status: c.status, notAfter: c.notAfter })) : [],
      verification: verification ?? null,
      needsPinForRetry: (shown.job.params as { pinSource?: string }).pinSource === 'given',
    };
  }

  const handlers: Handlers = {
    'audit.list': async (input) => audit.list(input),
    'audit.export': async ({ format, ...filter }, ctx) => audit.export(filter, format, officerOf(ctx).username),
    'audit.verify': async ({ sign }) => audit.verify({ sign }),
    'station.info': async () => ({ version: ports.version, organization: ports.config.organization, training: ports.training, separationOfDuties: rules.settings }),
    'readers.list': async () => refreshReaders(),
    'persons.search': async ({ query, limit }) => store.persons.search(query, limit ?? 50).map(personOut),
    'persons.get': async ({ id }) => {
      const p = store.persons.get(id);
      if (!p) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.');
      return personOut(p);
    },
    'persons.add': async (input, ctx) => {
      const p = store.persons.add({ givenName: input.givenName, surname: input.surname, email: input.email ?? null, employeeId: input.employeeId ?? null, affiliation: input.affiliation });
      store.audit.append({ actor: actorOf(ctx.caller), action: 'person.added', outcome: 'ok', personId: p.id });
      return personOut(p);
    },
    'profiles.list': async () => profiles.list().map(profileOut),
    'profiles.get': async ({ id }) => profileOut(profiles.get(id)),
    'profiles.update': async ({ id, patch }, ctx) => profileOut(profiles.update(id, patch, officerOf(ctx).username).entry),
    'production.start': async (input, ctx) => {
      await assertReaderReady(input.readerName);
      // Direct issue: the same request record as a desk request, under the same approval policy (the rule book decides).
      const job = requests.issueDirect(input, ctx.caller);
      launch(job.id, input.readerName, () => production.retry(job.id, input.readerName, input.pin, jobListener), officerOf(ctx).username);
      return { jobId: job.id };
    },
    'jobs.list': async ({ status }) => store.jobs.list(status ? { status } : undefined).map(summary),
    'jobs.get': async ({ jobId }) => detail(jobId),
    'jobs.retry': async ({ jobId, readerName, pin }, ctx) => {
      if (isJobRunning(jobId) || runningJobs.has(jobId)) throw new StationError('JOB_STATE', 'This job is already running.');
      await assertReaderReady(readerName);
      const job = store.jobs.get(jobId);
      if (!job) throw new StationError('NOT_FOUND_RECORD', `There is no production job ${jobId}.`);
      if (job.status === 'done' || job.status === 'cancelled') throw new StationError('JOB_STATE', `This job is ${job.status}; there is nothing to retry.`);
      if ((job.params as { pinSource?: string }).pinSource === 'given' && !pin) {
        throw new StationError('INVALID_INPUT', "This job needs the cardholder's PIN again: ask the cardholder to type it.", { field: 'pin' });
      }
      requests.retryJob(jobId, ctx.caller);
      launch(jobId, readerName, () => production.retry(jobId, readerName, pin, jobListener), officerOf(ctx).username);
      return { jobId };
    },
    'jobs.cancel': async ({ jobId, reason }) => {
      const wasCancelled = store.jobs.get(jobId)?.status === 'cancelled';
      const job = await production.cancel(jobId, reason);
      requests.jobSettled(jobId);
      // Cancelling again changes nothing (the first reason stays): no second event.
      if (!wasCancelled) emit('job.event', { type: 'job.cancelled', jobId, sentence: job.cancelReason ?? reason });
      return summary(job);
    },
    'jobs.takeSecrets': async ({ jobId }, ctx) => {
      // The job's record reads 'done' before its background run settles and
      // hands over the secrets: wait for it, or the one chance is lost.
      await runningJobs.get(jobId);
      const held = oneTimeSecrets.get(jobId);
      if (!held) return {};
      const card = store.cards.get(store.jobs.get(jobId)?.cardId ?? '');
      if (card) rules.takeSecrets(card, ctx.caller);
      // Another officer's screen must not take (and so destroy) the secrets the producing officer is about to show.
      if (held.owner !== undefined && held.owner !== officerOf(ctx).username) {
        throw new StationError('FORBIDDEN', 'Only the officer who ran this production can see its one-time PIN and PUK.', { rule: 'secretsOwner' });
      }
      oneTimeSecrets.delete(jobId);
      return { puk: held.puk, pin: held.pin };
    },
    'card.verify': async ({ readerName, pin }) => {
      if (busyReaders.has(readerName)) throw new StationError('READER_BUSY', `A card is being produced in ${readerName}.`);
      const transport = await ports.readers.connect(readerName);
      try {
        const session = new PivSession(transport);
        await session.select();
        const identity = await session.identify();
        return await verifyCard({
          session,
          trust: await ports.ca.trustAnchors(),
          verifyPin: pin ? () => session.verifyPin(pin) : undefined,
          supportsMetadata: identity.supportsMetadata,
          certificateStatus: (serial) => store.certificates.get(serial)?.status,
        });
      } finally {
        await transport.close('reset');
      }
    },
    'auth.status': async (_input, { connectionId }) => officers.status(connectionId),
    'auth.firstRunAdmin': async (input, { connectionId }) => officers.createFirstAdmin(connectionId, input),
    'auth.login': async ({ username, password }, { connectionId }) => {
      const officer = await officers.login(connectionId, username, password);
      kiosks.end(connectionId, officer.username); // an officer's login is the only way out of kiosk mode
      return officer;
    },
    'auth.logout': async (_input, { connectionId }) => {
      officers.logout(connectionId);
      return {};
    },
    'officers.list': async () => officers.list(),
    'officers.add': async (input, { caller }) => officers.add({ ...input, personId: input.personId ?? null }, caller),
    'officers.link': async ({ officerId, personId }, { caller }) => officers.link(officerId, personId, caller),
    'requests.create': async (input, { caller }) => requests.create(input, caller),
    'requests.list': async ({ state, personId }) => requests.list({ states: state, personId }),
    'requests.get': async ({ requestId }) => requests.show(requestId),
    'requests.approve': async ({ requestId }, { caller }) => requests.approve(requestId, caller),
    'requests.reject': async ({ requestId, reason }, { caller }) => requests.reject(requestId, reason, caller),
    'requests.produce': async ({ requestId, readerName, pin }, ctx) => {
      const { caller } = ctx;
      await assertReaderReady(readerName);
      const { job, resumed } = requests.startProduction(requestId, readerName, pin, caller);
      if (resumed && (isJobRunning(job.id) || runningJobs.has(job.id))) throw new StationError('JOB_STATE', 'This job is already running.');
      launch(job.id, readerName, () => production.retry(job.id, readerName, pin, jobListener), officerOf(ctx).username);
      return { jobId: job.id };
    },
    'batches.start': async ({ requestIds, readers }, ctx) => {
      await batchesOpened;
      return { batchId: (await batches.start(requestIds, readers, batchActor(ctx))).id };
    },
    'batches.list': async () => batches.list(),
    'batches.get': async ({ batchId }) => batches.get(batchId),
    'batches.cancelItem': async ({ batchId, requestId, reason }, ctx) => batches.cancelItem(batchId, requestId, reason, batchActor(ctx)),
    'batches.parseCsv': async ({ csv }, ctx) => batches.checkCsv(csv, batchActor(ctx)),
    'cards.list': async ({ status, personId }) => lifecycleOf().list({ status, personId }),
    'cards.get': async ({ card }) => lifecycleOf().get(card),
    'cards.revoke': async ({ card, reason }, ctx) => lifecycleOf().revoke(card, reason, ctx.caller),
    'cards.suspend': async ({ card }, ctx) => lifecycleOf().suspend(card, ctx.caller),
    'cards.resume': async ({ card }, ctx) => lifecycleOf().resume(card, ctx.caller),
    'cards.activate': async ({ readerName, pin, card }, ctx) => atDesk(readerName, () => lifecycleOf().activate(readerName, pin, ctx.caller, card)),
    'cards.unlock': async ({ readerName, newPin, card }, ctx) => atDesk(readerName, () => lifecycleOf().unlock(readerName, newPin, ctx.caller, card)),
    'cards.recycle': async ({ readerName, card }, ctx) => atDesk(readerName, () => lifecycleOf().recycle(readerName, ctx.caller, card)),
    'cards.reissue': async ({ card, reason, readerName, pin }, ctx) => {
      await assertReaderReady(readerName);
      const result = await lifecycleOf().reissue(card, reason, readerName, pin, ctx.caller);
      emit('request.changed', { requestId: result.requestId, state: 'in_production' });
      launch(result.jobId, readerName, () => production.retry(result.jobId, readerName, pin, jobListener), officerOf(ctx).username);
      return result;
    },
    'crl.get': async () => {
      const { der, view } = await lifecycleOf().crl();
      return { der: Buffer.from(der).toString('base64'), ...view, distributionPoint: ports.config.crlUrl };
    },
    'persons.update': async ({ id, ...edit }, { caller }) => personOut(editPerson({ store, config: ports.config }, id, edit, caller)),
    'kiosk.start': async (_input, { connectionId, caller }) => kiosks.start(connectionId, caller),
    'kiosk.status': async (_input, { connectionId }) => kiosks.status(connectionId),
    'kiosk.identify': async ({ employeeId, email }, { connectionId }) => kiosks.identify(connectionId, employeeId, email),
    'kiosk.request': async ({ profile }, { connectionId }) => kiosks.request(connectionId, profile),
    'kiosk.reset': async (_input, { connectionId }) => kiosks.reset(connectionId),
    'outbox.list': async (input) => outbox.list(input),
    'outbox.redeliver': async ({ eventId }, ctx) => outbox.redeliver(eventId !== undefined ? { eventId } : { allDead: true }, officerOf(ctx).username),
    'persons.list': async (page) => {
      const { persons, total } = store.persons.list(page);
      return { persons: persons.map(personOut), total };
    },
    'persons.import': async ({ csv, dryRun }, ctx) => {
      const { added, errors } = importPersons(store, csv, officerOf(ctx).username, { dryRun });
      return { dryRun: dryRun ?? false, imported: added, errors };
    },
  };

  return {
    async dispatch(channel, raw, connectionId = LOCAL_CONNECTION) {
      try {
        if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(channels, channel)) {
          throw new StationError('INVALID_INPUT', 'Unknown request.', { channel: String(channel).slice(0, 64) });
        }
        const c = channel as Channel;
        // Authorization before the input is even read: a caller without the right learns nothing about the channel.
        let caller: Caller = { kind: 'anonymous' };
        // A kiosk connection may call only kiosk and public channels; kiosk channels only there (workflow/kiosk.ts).
        const kiosk = kiosks.gate(c, connectionId, () => officers.caller(connectionId));
        if (kiosk) {
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
          throw new StationError('INVALID_INPUT', issue?.message && !issue.message.startsWith('Invalid') ? issue.message : `Invalid request: ${issue?.path.join('.') || 'input'} is not acceptable.`, {
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
        return { ok: false, error: { code: err.code, message: err.message, details: err.details as Record<string, string | number | boolean | null | undefined>, retryable: err.retryable } };
      }
    },
    async idle() {
      await batchesOpened;
      for (;;) {
        const pending = [...runningJobs.values(), ...probes.values()];
        await Promise.allSettled(pending);
        await batches.idle();
        if (runningJobs.size === 0 && probes.size === 0) return;
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown, target?: string) => void);
      return () => set!.delete(listener as (p: unknown, target?: string) => void);
    },
    async close() {
      clearInterval(idleTimer);
      clearInterval(expiryTimer);
      offLocked();
      offRequests();
      unwatch();
      await batchesOpened;
      await batches.close();
      await Promise.allSettled([...runningJobs.values()]);
    },
  };
}
