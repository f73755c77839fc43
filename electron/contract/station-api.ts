/**
 * StationApi: the one contract between the faces and the station core.
 * Every call (`domain.verb`) and event is a zod schema; the same contract is
 * served over Electron IPC (shell + preload), the browser host's WebSocket
 * and, for the CLI, by direct dispatch. Imports nothing runtime-specific.
 *
 * The channels are defined by domain in ./channels/ (station and readers,
 * officers and sessions, persons, card profiles, requests, production,
 * batches, the card lifecycle, audit, the outbox, the kiosk, CPR intake); this module
 * assembles them, names the events, and says who may call each channel
 * (CHANNEL_ROLES), in one table. Error codes: ./errors.ts.
 *
 * Inputs are validated where they enter (the core's dispatch); results are
 * validated before they leave, so a renderer never sees an unexpected shape.
 */
import { z } from 'zod';
import type { ApiError } from './errors.js';
import { RoleShape } from './channels/fields.js';
import { Reader, stationChannels } from './channels/station.js';
import { authChannels } from './channels/auth.js';
import { personsChannels } from './channels/persons.js';
import { profilesChannels } from './channels/profiles.js';
import { RequestStateShape, requestsChannels } from './channels/requests.js';
import { productionChannels } from './channels/production.js';
import { batchesChannels } from './channels/batches.js';
import { cardsChannels } from './channels/cards.js';
import { auditChannels } from './channels/audit.js';
import { outboxChannels } from './channels/outbox.js';
import { kioskChannels } from './channels/kiosk.js';
import { physicalChannels } from './channels/physical.js';
import { cprChannels } from './channels/cpr.js';

export * from './errors.js';
export { RoleShape } from './channels/fields.js';
export * from './channels/station.js';
export * from './channels/auth.js';
export * from './channels/persons.js';
export * from './channels/profiles.js';
export * from './channels/requests.js';
export * from './channels/production.js';
export * from './channels/batches.js';
export * from './channels/cards.js';
export * from './channels/audit.js';
export * from './channels/outbox.js';
export * from './channels/kiosk.js';
export * from './channels/physical.js';
export * from './channels/cpr.js';

// ---------- channels: input and output schema of every call, by domain ----------

export const channels = {
  ...stationChannels,
  ...authChannels,
  ...personsChannels,
  ...profilesChannels,
  ...requestsChannels,
  ...productionChannels,
  ...batchesChannels,
  ...cardsChannels,
  ...auditChannels,
  ...outboxChannels,
  ...kioskChannels,
  ...physicalChannels,
  ...cprChannels,
} as const;

/** Every channel name. */
export type Channel = keyof typeof channels;
export const CHANNELS = Object.keys(channels) as Channel[];
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = z.infer<(typeof channels)[C]['output']>;

// ---------- events ----------

export const events = {
  /** The full reader list after any change (reader or card came or went, card recognized). */
  'reader.changed': z.array(Reader),
  /** Progress of a job (started/finished/failed step, job finished/failed/cancelled). */
  'job.event': z.object({
    type: z.enum(['job.started', 'job.step.started', 'job.step.skipped', 'job.step.finished', 'job.step.failed', 'job.finished', 'job.failed', 'job.cancelled']),
    jobId: z.string(),
    step: z.string().optional(),
    index: z.number().optional(),
    total: z.number().optional(),
    ms: z.number().optional(),
    /** APDUs a finished step exchanged with the card. */
    apdus: z.number().optional(),
    sentence: z.string().optional(),
  }),
  /** A card request changed state (created, approved, rejected, produced…). */
  'request.changed': z.object({ requestId: z.string(), state: RequestStateShape }),
  /** Batch progress after any item changes. */
  'batch.changed': z.object({ batchId: z.string(), done: z.number(), failed: z.number(), remaining: z.number() }),
  /** This connection's session was locked after inactivity: log in again. */
  'session.locked': z.object({}),
} as const;
export type EventName = keyof typeof events;
export const EVENTS = Object.keys(events) as EventName[];
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

// ---------- the envelope and the bridge ----------

/** Result envelope crossing IPC/WebSocket (Signal-Desktop style): never a thrown exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/**
 * The shape the renderer sees as `window.station` (preload) and as the
 * browser host's bridge client: exactly these two members.
 */
export interface StationBridge {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The keys of StationBridge, for the parity test between preload, bridge client and contract. */
export const BRIDGE_KEYS = ['invoke', 'subscribe'] as const;

// ---------- who may call what ----------

/**
 * Who may call a channel: 'public' needs no login, 'officer' any logged-in
 * officer, 'kiosk' only a connection in kiosk mode (never an officer),
 * otherwise an officer holding at least one of the roles.
 */
export type ChannelAccess = 'public' | 'officer' | 'kiosk' | readonly z.infer<typeof RoleShape>[];

/**
 * Who may call each channel (enforced in the core's dispatch, never only in
 * the UI), by domain. A kiosk connection may call only 'kiosk' and 'public'
 * channels. IDPRS callers have their own narrow door (CPR intake).
 */
export const CHANNEL_ROLES: Record<Channel, ChannelAccess> = {
  // station and readers
  'station.info': 'public',
  'readers.list': 'officer',
  'station.counts': 'officer',
  'ca.chain': 'public',
  'station.changePassphrase': ['admin'],
  // officers and sessions
  'auth.status': 'public',
  'auth.firstRunAdmin': 'public',
  'auth.login': 'public',
  'auth.resume': 'public',
  'auth.logout': 'officer',
  'officers.list': ['admin'],
  'officers.add': ['admin'],
  'officers.unlock': ['admin'],
  'officers.link': ['admin'],
  'officers.update': ['admin'],
  'officers.setStatus': ['admin'],
  'officers.resetPassword': ['admin'],
  // persons
  // Administrators find persons too: they link officers to their own person records.
  'persons.search': ['registration', 'approver', 'production', 'security', 'auditor', 'admin'],
  'persons.get': ['registration', 'approver', 'production', 'security', 'auditor'],
  'persons.add': ['registration'],
  'persons.update': ['registration'],
  'persons.list': ['registration', 'approver', 'production', 'security', 'auditor'],
  'persons.import': ['registration'],
  // card profiles
  'profiles.list': 'officer',
  'profiles.get': 'officer',
  'profiles.update': ['admin'],
  // card requests
  'requests.create': ['registration'],
  'requests.list': ['registration', 'approver', 'production', 'auditor'],
  'requests.get': ['registration', 'approver', 'production', 'auditor'],
  'requests.approve': ['approver'],
  'requests.reject': ['approver'],
  'requests.produce': ['production'],
  // production
  'production.start': ['production'],
  'jobs.list': ['production', 'registration', 'approver', 'security', 'auditor'],
  'jobs.get': ['production', 'registration', 'approver', 'security', 'auditor'],
  'jobs.retry': ['production', 'security'],
  'jobs.cancel': ['production', 'security'],
  'jobs.takeSecrets': ['production', 'security'],
  'jobs.pinMailer': ['production', 'security'],
  'card.verify': ['production', 'security'],
  // mass production
  'batches.start': ['production'],
  'batches.list': ['production', 'auditor'],
  'batches.get': ['production', 'auditor'],
  'batches.cancelItem': ['production'],
  'batches.retryItem': ['production'],
  'batches.setPaused': ['production'],
  'batches.parseCsv': ['production'],
  // card lifecycle
  'cards.list': ['auditor', 'security', 'registration'],
  'cards.get': ['auditor', 'security', 'registration'],
  'cards.revoke': ['security'],
  'cards.suspend': ['security'],
  'cards.resume': ['security'],
  'cards.activate': ['production', 'security'],
  'cards.unlock': ['security'],
  'cards.reissue': ['security'],
  'cards.recycle': ['security'],
  'crl.get': ['security', 'auditor'],
  // audit
  'audit.list': ['auditor'],
  'audit.export': ['auditor'],
  'audit.verify': ['auditor'],
  'audit.rotateKey': ['admin'],
  // notifications outbox: it holds every card's history; admin and security as `station outbox`, the auditor may look, not resend
  'outbox.list': ['admin', 'security', 'auditor'],
  'outbox.redeliver': ['admin', 'security'],
  'outbox.setSecret': ['admin', 'security'],
  // self-service kiosk
  'kiosk.start': ['registration', 'admin'],
  'kiosk.status': 'public',
  'kiosk.identify': 'kiosk',
  'kiosk.request': 'kiosk',
  'kiosk.reset': 'kiosk',
  // the physical card: photos (taken by registration, seen by whoever identifies the person), layouts (administered like profiles), printing
  'persons.setPhoto': ['registration'],
  'persons.getPhoto': ['registration', 'approver', 'production', 'security', 'auditor'],
  'layouts.list': 'officer',
  'layouts.get': 'officer',
  'layouts.update': ['admin'],
  'layouts.preview': 'officer',
  'cards.preview': ['registration', 'approver', 'production', 'security', 'auditor'],
  'cards.reprint': ['production', 'security'],
  'printers.list': ['production', 'admin'],
  // CPR intake: the IDPRS through its own doors (IDPRS_CHANNELS); an officer who brings a CPR or cancels one for the IDPRS is named in the audit
  'cpr.submit': ['registration'],
  'cpr.status': ['registration', 'approver', 'production', 'auditor'],
  'cpr.delete': ['registration'],
};

/**
 * The only channels a connection of the IDPRS may call (its CPR endpoint and
 * drop folder authenticate it: a bearer token or client certificate, the
 * folder's file-system rights; the CPR's signature is checked by the intake).
 */
export const IDPRS_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['cpr.submit', 'cpr.status', 'cpr.delete']);

/**
 * Channels a screen polls while it is open (the Notifications screen: the
 * delivery worker moves events without telling the renderer). A call on them
 * needs a valid, unlocked session like any other but does not count as the
 * officer's activity, so an unattended window still locks.
 */
export const BACKGROUND_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['outbox.list', 'station.counts']);

/**
 * Channels that only read: they change no record of the store (an export is
 * audited as read). Every other channel changes state and goes through the
 * core's rule book; the model-based tests cover each of them.
 */
export const QUERY_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'station.info',
  'readers.list',
  'station.counts',
  'persons.search',
  'persons.get',
  'persons.list',
  'profiles.list',
  'profiles.get',
  'jobs.list',
  'jobs.get',
  'card.verify',
  'auth.status',
  'officers.list',
  'requests.list',
  'requests.get',
  'batches.list',
  'batches.get',
  'batches.parseCsv',
  'audit.list',
  'audit.export',
  'cards.list',
  'cards.get',
  'crl.get',
  'kiosk.status',
  'outbox.list',
  'ca.chain',
  'cpr.status',
  'persons.getPhoto',
  'layouts.list',
  'layouts.get',
  'layouts.preview',
  'cards.preview',
  'printers.list',
]);
