/**
 * What the core is built from (CorePorts, given by the composition root) and
 * what its StationApi handlers share (CoreServices, built once by createCore).
 */
import type { EventName, EventPayload } from '../../contract/station-api.js';
import type { StationStore } from '../store/store.js';
import type { ProductionService } from '../issuance/production-service.js';
import type { ReaderProvider } from '../piv/transport.js';
import type { StationConfig } from '../config/station-config.js';
import type { CertificateAuthority } from '../pki/ca.js';
import type { OfficerService } from '../workflow/officers.js';
import type { RequestService } from '../workflow/requests.js';
import type { AuditService } from '../audit/service.js';
import type { AuditHeadSigner } from '../audit/head-signer.js';
import type { BatchService } from '../issuance/batch-service.js';
import type { LifecycleService } from '../lifecycle/service.js';
import type { KioskService } from '../workflow/kiosk.js';
import type { ProfileRegistry } from '../workflow/profile-registry.js';
import type { OutboxService } from '../notifications/service.js';
import type { SecretBox } from '../pki/secret-box.js';
import type { CprIntake } from '../workflow/cpr-intake.js';
import type { JobRunner } from './job-runner.js';
import type { ReaderWatch } from './reader-watch.js';
import type { RuleBook } from '../policy/rule-book.js';

/** What the core needs from the composition root. */
export interface CorePorts {
  store: StationStore;
  production: ProductionService;
  officers: OfficerService;
  requests: RequestService;
  /** The card profiles, shared with the services above. */
  profiles: ProfileRegistry;
  readers: ReaderProvider;
  ca: Pick<CertificateAuthority, 'trustAnchors'>;
  config: StationConfig;
  training: boolean;
  version: string;
  /** Card lifecycle (revoke, suspend, resume, activate, unlock, reissue, recycle, CRL); without it those channels answer UNSUPPORTED. */
  lifecycle?: LifecycleService;
  /** The station's audit head signer (attachAuditSigner); without it signed heads are checked against their stored public keys only. */
  auditSigner?: AuditHeadSigner;
  /** The keyring's secret box: seals the secret shared with the IDPRS (outbox.setSecret); without it that channel answers UNSUPPORTED. */
  secretBox?: SecretBox;
  /**
   * The CPR intake, its events audited as `actor` ('idprs', or the officer who
   * brings a CPR); without it the cpr channels answer UNSUPPORTED.
   * @throws StationError INVALID_INPUT when the station has no `idprs` configuration
   */
  cprIntake?: (actor: string) => CprIntake;
  /**
   * Whether the core runs the station's background work from the start (default
   * true: a station face): batches a stopped station left running resume, the
   * readers are watched, idle sessions lock, cards past their date expire. A
   * one-shot face (the CLI) passes false: a batch resumes when a batch channel
   * is called, the readers are watched once they are listed, and nothing else
   * runs behind the command.
   */
  background?: boolean;
  /** Clock of the kiosk's idle timeout and throttling (tests pass time with it). */
  now?: () => Date;
  /** The rule book the services ask (built once by the composition root). */
  rules: RuleBook;
}

/** The services every domain's handlers use, built once per core. */
export interface CoreServices {
  ports: CorePorts;
  store: StationStore;
  production: ProductionService;
  officers: OfficerService;
  requests: RequestService;
  audit: AuditService;
  kiosks: KioskService;
  outbox: OutboxService;
  profiles: ProfileRegistry;
  batches: BatchService;
  /** Opens the batch service (once): batches left running by a stopped station resume and watch their readers. */
  openBatches(): Promise<void>;
  jobs: JobRunner;
  readers: ReaderWatch;
  /** The rule book (state machines, roles, separation of duties). */
  rules: RuleBook;
  /**
   * The reader may take a production or a desk operation now: no job holds
   * it, and it is no training reader on a real station.
   * @throws StationError READER_BUSY, FORBIDDEN (details.rule 'trainingReader')
   */
  readerReady(readerName: string): Promise<void>;
  /** Pushes an event to the core's listeners (`target`: one connection only). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>, target?: string): void;
  /** The lifecycle service. @throws StationError UNSUPPORTED when the station has none */
  lifecycle(): LifecycleService;
}
