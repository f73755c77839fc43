/**
 * The officer's words for each role (short, for tables and checkboxes; the
 * workflow's ROLE_LABELS carry the longer descriptions for the CLI).
 */
import type { OfficerView } from '../../../../electron/contract/station-api';

export const ROLE_WORDS: Record<OfficerView['roles'][number], string> = {
  registration: 'Registration officer',
  approver: 'Approver',
  production: 'Card production administrator',
  security: 'Security officer',
  auditor: 'Auditor',
  admin: 'Administrator',
};
