/**
 * The renderer's door to the station's words: every code (request states,
 * card and job statuses, audit actions, revocation reasons) is turned into
 * words by the contract's one table (electron/contract/words.ts), so the
 * screens, the CLI and the core's sentences say the same thing.
 */
export {
  CARD_STATUS_WORDS,
  CERTIFICATE_STATUS_WORDS,
  JOB_STATUS_WORDS,
  REQUEST_STATE_WORDS,
  TERMINATION_REASON_WORDS,
  auditActionText,
  personStandingText,
  revocationReasonText,
  revocationText,
} from '../../../electron/contract/words';
