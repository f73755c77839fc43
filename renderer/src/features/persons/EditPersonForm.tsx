/**
 * Edits a registered person (registration officer). The core decides what may
 * change (not one's own record, not a record the IDPRS manages, the
 * affiliation not while a request is open or a card held) and says why when
 * it refuses; the sentence shows here.
 */
import { useState } from 'react';
import type { Person } from '../../../../electron/contract/station-api';
import { usePersons } from '../../stores/stores';
import { draftOf, PersonFields, personInput, usePersonSave } from './PersonFields';

export interface EditPersonFormProps {
  person: Person;
  onSaved(person: Person): void;
  onCancel(): void;
}

/** The edit form of `person`, prefilled from the record; `onSaved` gets the person as the core stored it. */
export function EditPersonForm({ person, onSaved, onCancel }: EditPersonFormProps) {
  const update = usePersons((s) => s.update);
  const [draft, setDraft] = useState(() => draftOf(person));
  const { saving, error, submit } = usePersonSave(() => update({ id: person.id, ...personInput(draft) }), onSaved);

  return (
    <form className="edit-person" data-testid="edit-person" onSubmit={submit} aria-labelledby="edit-person-title">
      <h3 id="edit-person-title">
        Edit {person.givenName} {person.surname}
      </h3>
      <PersonFields draft={draft} onChange={setDraft} testIdPrefix="edit-person" />
      {error && (
        <p className="error" role="alert" data-testid="edit-person-error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" data-testid="edit-person-save" disabled={saving}>
          {saving ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" data-testid="edit-person-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
