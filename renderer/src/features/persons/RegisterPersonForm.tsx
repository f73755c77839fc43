/**
 * Registers a new cardholder. The core validates the input and says what is
 * wrong; this form only collects it.
 */
import { useState, type FormEvent } from 'react';
import type { Person } from '../../../../electron/contract/station-api';
import { errorSentence } from '../../api-error';
import { usePersons } from '../../stores/stores';
import { PROFILES, type Affiliation } from '../../stores/issue-store';

export interface RegisterPersonFormProps {
  onSaved(person: Person): void;
  onCancel(): void;
}

export function RegisterPersonForm({ onSaved, onCancel }: RegisterPersonFormProps) {
  const add = usePersons((s) => s.add);
  const [givenName, setGivenName] = useState('');
  const [surname, setSurname] = useState('');
  const [email, setEmail] = useState('');
  const [employeeId, setEmployeeId] = useState('');
  const [affiliation, setAffiliation] = useState<Affiliation>('employee');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const person = await add({
        givenName: givenName.trim(),
        surname: surname.trim(),
        email: email.trim() || null,
        employeeId: employeeId.trim() || null,
        affiliation,
      });
      onSaved(person);
    } catch (err) {
      setError(errorSentence(err));
      setSaving(false);
    }
  }

  return (
    <form className="register-person" onSubmit={submit} aria-labelledby="register-title">
      <h3 id="register-title">Register a new person</h3>
      <div className="grid">
        <label>
          Given name
          <input data-testid="person-given-name" required value={givenName} onChange={(e) => setGivenName(e.target.value)} autoComplete="off" />
        </label>
        <label>
          Surname
          <input data-testid="person-surname" required value={surname} onChange={(e) => setSurname(e.target.value)} autoComplete="off" />
        </label>
        <label>
          Email
          <input data-testid="person-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
        </label>
        <label>
          Employee id
          <input data-testid="person-employee-id" value={employeeId} onChange={(e) => setEmployeeId(e.target.value)} autoComplete="off" />
        </label>
        <label>
          Affiliation
          <select data-testid="person-affiliation" value={affiliation} onChange={(e) => setAffiliation(e.target.value as Affiliation)}>
            {PROFILES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      </div>
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
