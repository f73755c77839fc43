/**
 * Editing a person's record (issue 4 "Persons: … create, edit"), by a
 * registration officer. The rules an auditor would look for:
 *
 * - **Not one's own record** (separation of duties, like produce-for-self):
 *   an officer linked to a person (officers.personId) cannot edit that person.
 * - **Not a record the IDPRS manages**: when `idprs.managesPersons` is on, a
 *   person with an IDPRS id (externalId) belongs to the identity registration
 *   system; its next CPR replaces the attributes anyway (cpr-intake.ts), so a
 *   local edit would be silently lost. Change it in the IDPRS instead. With
 *   `managesPersons` off the IDPRS id is only a link and the record is the
 *   station's to edit (the id itself is never editable here).
 * - **Affiliation is fixed while it is in use**: an open card request was
 *   created (and maybe approved) for a profile chosen from the affiliation,
 *   and a card held by the person (produced, active or suspended) was issued
 *   under it. Changing the affiliation underneath would leave an approval or
 *   a card that no longer matches the record, so it is refused until the
 *   request is finished/rejected or the card revoked. Names, e-mail and
 *   employee id may change at any time (the search index follows through the
 *   store's FTS triggers).
 *
 * Every edit is audited as `person.updated` with the changed field names and
 * their old → new values (all non-secret attributes); every refusal as
 * `person.update` refused with the rule. An edit that changes nothing is not
 * an action and writes nothing.
 */
import { StationError } from '../errors.js';
import type { StationConfig } from '../config/station-config.js';
import type { PersonRecord } from '../store/records.js';
import type { StationStore } from '../store/store.js';
import { requireCaller } from './authorization.js';
import type { Caller } from './types.js';

/** The attributes an officer may change (the id, IDPRS id and timestamps are the station's). */
export interface PersonEdit {
  givenName?: string;
  surname?: string;
  email?: string | null;
  employeeId?: string | null;
  affiliation?: PersonRecord['affiliation'];
}

/** Card statuses in which the person holds a card issued under their affiliation. */
export const HELD_CARD_STATUSES: readonly string[] = ['produced', 'active', 'suspended'];

const EDITABLE: readonly (keyof PersonEdit)[] = ['givenName', 'surname', 'email', 'employeeId', 'affiliation'];

/** What editing needs from the station. */
export interface PersonEditDeps {
  store: StationStore;
  config: Pick<StationConfig, 'idprs'>;
}

/** The fields of `edit` whose value differs from the record, with old and new values. */
function changedFields(person: PersonRecord, edit: PersonEdit): Record<string, { from: string | null; to: string | null }> {
  const out: Record<string, { from: string | null; to: string | null }> = {};
  for (const field of EDITABLE) {
    if (!(field in edit) || edit[field] === undefined) continue;
    const to = edit[field] ?? null;
    if (to !== person[field]) out[field] = { from: person[field], to };
  }
  return out;
}

/**
 * The reason an affiliation change is refused now, or undefined when it is allowed.
 * Open requests: the store's OPEN_REQUEST_STATES; held cards: HELD_CARD_STATUSES.
 */
function affiliationInUse(store: StationStore, person: PersonRecord): string | undefined {
  const open = store.requests.openForPerson(person.id)[0];
  if (open) return `${person.givenName} ${person.surname} has an open card request (${open.state.replace('_', ' ')}) for the ${open.profile} profile: finish or reject it before changing the affiliation.`;
  const card = store.cards.listByPerson(person.id).find((c) => HELD_CARD_STATUSES.includes(c.status));
  if (card) return `${person.givenName} ${person.surname} holds a card (${card.status}) issued under the ${person.affiliation} affiliation: revoke it before changing the affiliation.`;
  return undefined;
}

/**
 * Applies `edit` to person `id` for `caller`.
 * @returns the person as stored after the edit (unchanged when nothing differs)
 * @throws StationError NOT_AUTHENTICATED / FORBIDDEN (role; rule `editSelf`,
 *   `idprsManaged` or `affiliationInUse` in details.rule), NOT_FOUND_RECORD,
 *   INVALID_INPUT (bad field, employee id already used by another person)
 */
export function editPerson(deps: PersonEditDeps, id: string, edit: PersonEdit, caller: Caller): PersonRecord {
  const { store, config } = deps;
  const officer = requireCaller(caller, 'persons.update');
  const person = store.persons.get(id);
  if (!person) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.', { personId: id.slice(0, 64) });
  const changed = changedFields(person, edit);
  const refuse = (rule: string, sentence: string): never => {
    // Recorded outside any transaction: a refusal must stay in the log.
    store.audit.append({ actor: officer.username, action: 'person.update', outcome: 'refused', personId: person.id, details: { rule, fields: Object.keys(changed).join(',') } });
    throw new StationError('FORBIDDEN', sentence, { rule });
  };
  if (officer.personId !== null && officer.personId === person.id) {
    refuse('editSelf', 'You cannot edit your own person record: another registration officer must do it.');
  }
  if (config.idprs?.managesPersons && person.externalId !== null) {
    refuse('idprsManaged', 'The identity registration system (IDPRS) manages this person: change the record there; its next CPR brings the change to the station.');
  }
  if (Object.keys(changed).length === 0) return person;
  if (changed.affiliation) {
    const why = affiliationInUse(store, person);
    if (why) refuse('affiliationInUse', why);
  }
  const patch = Object.fromEntries(Object.entries(changed).map(([field, { to }]) => [field, to])) as PersonEdit;
  return store.transaction(() => {
    const updated = store.persons.update(person.id, patch);
    store.audit.append({ actor: officer.username, action: 'person.updated', outcome: 'ok', personId: person.id, details: { fields: Object.keys(changed).join(','), changes: changed } });
    return updated;
  });
}
