/**
 * What each officer role may do, read from the tables that decide it (issue
 * 12 obs. 9: the Officers screen's role table): the channels a role may call
 * (CHANNEL_ROLES, the core's dispatch enforces them) and the separation-of-
 * duties limits of the state-machine rows those channels carry (the rule
 * book enforces them; the sentences are the refusals the core gives). Only
 * the channel's words are written here. Imports nothing runtime-specific.
 */
import { CHANNEL_ROLES, type Channel } from './station-api.js';
import { CARD_TRANSITIONS, REQUEST_TRANSITIONS, type Transition } from './state-machines.js';
import { dutyRefusal } from './duties.js';
import type { Role } from './officer-rules.js';

/**
 * What calling a channel lets an officer do, in the officer's words. Channels
 * without words here (status reads, public and kiosk doors) are not listed in
 * the role table: every officer may read what their screens show.
 */
export const CHANNEL_ABILITY_WORDS: Partial<Record<Channel, string>> = {
  'station.changePassphrase': 'change the station passphrase',
  'officers.add': 'add officers',
  'officers.update': 'change officers’ names and roles',
  'officers.setStatus': 'disable and re-enable officers',
  'officers.resetPassword': 'reset officers’ passwords',
  'officers.unlock': 'unlock accounts locked by failed logins',
  'officers.link': 'link officers to their person records',
  'persons.add': 'register persons',
  'persons.update': 'edit person records',
  'persons.import': 'import persons from a CSV file',
  'persons.setPhoto': 'take cardholders’ photos',
  'profiles.update': 'change card profiles',
  'layouts.update': 'change card face layouts',
  'requests.create': 'request cards',
  'cpr.submit': 'bring in card production requests from the IDPRS',
  'requests.approve': 'approve card requests',
  'requests.reject': 'reject card requests',
  'requests.produce': 'produce approved cards',
  'production.start': 'issue cards directly',
  'batches.start': 'run batches',
  'jobs.retry': 'retry failed productions',
  'jobs.cancel': 'cancel productions',
  'jobs.takeSecrets': 'take a card’s one-time PIN and PUK',
  'jobs.pinMailer': 'print PIN mailers',
  'cards.activate': 'activate cards at the desk',
  'cards.suspend': 'suspend cards',
  'cards.resume': 'resume suspended cards',
  'cards.revoke': 'revoke cards',
  'cards.unlock': 'unlock blocked PINs',
  'cards.reissue': 'reissue cards',
  'cards.recycle': 'recycle cards',
  'cards.reprint': 'print card faces again',
  'audit.list': 'read the audit log',
  'audit.export': 'export the audit log',
  'audit.verify': 'verify the audit log’s signatures',
  'audit.rotateKey': 'rotate the audit signing key',
  'outbox.redeliver': 'send notifications again',
  'outbox.setSecret': 'set the notification delivery secret',
  'kiosk.start': 'start the self-service kiosk',
};

/** One row of the role table: what the role may do, and the limits the rule book puts on it. */
export interface RoleAbilities {
  role: Role;
  /** Phrases of {@link CHANNEL_ABILITY_WORDS}, in CHANNEL_ROLES order. */
  may: string[];
  /** The refusal sentences of the separation-of-duties rows the role's channels carry (duties.ts dutyRefusal). */
  limits: string[];
}

/** The channels `role` may call by CHANNEL_ROLES (only role-listed channels: not 'officer', 'public' or 'kiosk'). */
export function channelsOfRole(role: Role): Channel[] {
  return (Object.keys(CHANNEL_ROLES) as Channel[]).filter((c) => {
    const rule = CHANNEL_ROLES[c];
    return Array.isArray(rule) && rule.includes(role);
  });
}

/**
 * What `role` may do and must never do, derived from CHANNEL_ROLES and the
 * card and request state machines (FIPS 201-3 §2.1: no single person issues
 * a credential alone). Policy-dependent limits (`distinctBySetting`) are
 * listed too: the station's default applies them.
 */
export function roleAbilities(role: Role): RoleAbilities {
  const channels = channelsOfRole(role);
  const may = [...new Set(channels.map((c) => CHANNEL_ABILITY_WORDS[c]).filter((w): w is string => w !== undefined))];
  const limits: string[] = [];
  const rows: readonly Transition<string>[] = [...REQUEST_TRANSITIONS, ...CARD_TRANSITIONS];
  for (const row of rows) {
    if (!row.by.some((p) => (channels as string[]).includes(p))) continue;
    for (const party of [...(row.distinct ?? []), ...(row.distinctBySetting ?? [])]) {
      const sentence = dutyRefusal(row.operation, party).sentence;
      if (!limits.includes(sentence)) limits.push(sentence);
    }
  }
  return { role, may, limits };
}
