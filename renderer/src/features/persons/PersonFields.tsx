/**
 * The attribute fields of a person (names, e-mail, employee id, affiliation),
 * shared by registration and edit. The core validates; these only collect.
 */
import { useState, type FormEvent } from 'react';
import type { Person } from '../../../../electron/contract/station-api';
import { errorSentence } from '../../api-error';
import type { Affiliation } from '../../stores/issue-store';
import { AFFILIATION_WORDS, PROFILE_IDS } from '../../../../electron/contract/card-profile';

/** What the officer typed, as typed (blank e-mail / employee id mean none). */
export interface PersonDraft {
  givenName: string;
  surname: string;
  email: string;
  employeeId: string;
  affiliation: Affiliation;
}

/** A draft from a stored person, or an empty one. */
export function draftOf(p?: Person): PersonDraft {
  return { givenName: p?.givenName ?? '', surname: p?.surname ?? '', email: p?.email ?? '', employeeId: p?.employeeId ?? '', affiliation: p?.affiliation ?? 'employee' };
}

/** The draft as the core takes it: trimmed, blanks as null. */
export function personInput(d: PersonDraft) {
  return { givenName: d.givenName.trim(), surname: d.surname.trim(), email: d.email.trim() || null, employeeId: d.employeeId.trim() || null, affiliation: d.affiliation };
}

/**
 * The submit handler of a person form: runs `save`, hands the stored person to
 * `onSaved`, or keeps the form with the core's sentence in `error`.
 */
export function usePersonSave(save: () => Promise<Person>, onSaved: (person: Person) => void) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      onSaved(await save());
    } catch (err) {
      setError(errorSentence(err));
      setSaving(false);
    }
  }
  return { saving, error, submit };
}

export interface PersonFieldsProps {
  draft: PersonDraft;
  onChange(draft: PersonDraft): void;
  /** data-testid prefix: `person` → person-given-name, person-surname, person-email, person-employee-id, person-affiliation. */
  testIdPrefix: string;
}

/** The five attribute fields, controlled by `draft`. */
export function PersonFields({ draft, onChange, testIdPrefix }: PersonFieldsProps) {
  const set = (field: keyof PersonDraft) => (e: { target: { value: string } }) => onChange({ ...draft, [field]: e.target.value });
  return (
    <div className="grid">
      <label>
        Given name
        <input data-testid={`${testIdPrefix}-given-name`} required value={draft.givenName} onChange={set('givenName')} autoComplete="off" />
      </label>
      <label>
        Surname
        <input data-testid={`${testIdPrefix}-surname`} required value={draft.surname} onChange={set('surname')} autoComplete="off" />
      </label>
      <label>
        Email
        <input data-testid={`${testIdPrefix}-email`} type="email" value={draft.email} onChange={set('email')} autoComplete="off" />
      </label>
      <label>
        Employee id
        <input data-testid={`${testIdPrefix}-employee-id`} value={draft.employeeId} onChange={set('employeeId')} autoComplete="off" />
      </label>
      <label>
        Affiliation
        <select data-testid={`${testIdPrefix}-affiliation`} value={draft.affiliation} onChange={set('affiliation')}>
          {PROFILE_IDS.map((id) => (
            <option key={id} value={id}>
              {AFFILIATION_WORDS[id]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
