/**
 * Registers a new cardholder. The core validates the input and says what is
 * wrong; this form only collects it.
 */
import { useState } from 'react';
import type { Person } from '../../../../electron/contract/station-api';
import { usePersons } from '../../stores/stores';
import { draftOf, PersonFields, personInput, usePersonSave } from './PersonFields';

export interface RegisterPersonFormProps {
  onSaved(person: Person): void;
  onCancel(): void;
}

export function RegisterPersonForm({ onSaved, onCancel }: RegisterPersonFormProps) {
  const add = usePersons((s) => s.add);
  const [draft, setDraft] = useState(() => draftOf());
  const { saving, error, submit } = usePersonSave(() => add(personInput(draft)), onSaved);

  return (
    <form className="register-person" onSubmit={submit} aria-labelledby="register-title">
      <h3 id="register-title">Register a new person</h3>
      <PersonFields draft={draft} onChange={setDraft} testIdPrefix="person" />
      {error && <p className="error" role="alert">{error}</p>}
      <div className="row">
        <button type="submit" className="primary" data-testid="person-save" disabled={saving}>
          {saving ? 'Saving…' : 'Save person'}
        </button>
        <button type="button" onClick={onCancel}>
          Back to search
        </button>
      </div>
    </form>
  );
}
