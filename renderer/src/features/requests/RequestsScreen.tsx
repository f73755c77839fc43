/**
 * Card requests (registration officer): find or register the person, choose
 * the card profile and request the card; below, every request with a state
 * filter. Profiles that need no approval come back already approved.
 */
import { requestNumberText } from '../../../../electron/contract/request-number';
import { useEffect, useState } from 'react';
import type { CardRequestView, Person } from '../../../../electron/contract/station-api';
import { useProfiles, useRequests, useSession, useStores } from '../../stores/stores';
import type { Affiliation } from '../../stores/issue-store';
import { mayCall } from '../../../../electron/contract/access';
import { REQUEST_FILTERS } from '../../stores/requests-store';
import { PersonSearch } from '../persons/PersonSearch';
import { PersonPhoto } from '../photo/PersonPhoto';
import { EditPersonForm } from '../persons/EditPersonForm';
import { RequestTable } from './RequestTable';

export interface RequestsScreenProps {
  /** The person to request a card for, already chosen (the Persons screen's "Request a card"). */
  person?: Person;
}

export function RequestsScreen({ person: chosen }: RequestsScreenProps = {}) {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const filter = useRequests((s) => s.filter);
  const list = useRequests((s) => s.list);
  const listError = useRequests((s) => s.listError);
  const createError = useRequests((s) => s.createError);
  const [person, setPerson] = useState<Person | null>(chosen ?? null);
  const [profile, setProfile] = useState<Affiliation>(chosen?.affiliation ?? 'employee');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CardRequestView | null>(null);
  const [editing, setEditing] = useState(false);
  const canCreate = mayCall(officer, 'requests.create');
  // Mirrors the core's rule: no edit of one's own record (the core refuses it anyway).
  const canEdit = (p: Person) => mayCall(officer, 'persons.update') && officer?.personId !== p.id;

  const profiles = useProfiles((s) => s.list);

  useEffect(() => {
    void stores.requests.getState().loadList();
    // The card profiles are administered: the choice lists the store's.
    void stores.profiles.getState().load();
  }, [stores]);

  function choose(p: Person | null) {
    setPerson(p);
    setEditing(false);
    setCreated(null);
    if (p) setProfile(p.affiliation);
    // A chosen person ends the search: "Choose another person" starts a new one.
    if (p) stores.persons.getState().setQuery('');
  }

  async function create() {
    if (!person) return;
    setCreating(true);
    const request = await stores.requests.getState().create({ personId: person.id, profile });
    setCreating(false);
    if (request) {
      setCreated(request);
      setPerson(null);
      // The search shows again for the next person: empty, so a quick click cannot pick a stale result (issue 12 obs. 8).
      stores.persons.getState().setQuery('');
    }
  }

  return (
    <section className="requests-screen" data-testid="requests-screen" aria-labelledby="requests-title">
      <h2 id="requests-title">Card requests</h2>
      {canCreate && (
        <section className="step request-form" aria-labelledby="request-form-title">
          <h3 id="request-form-title">Request a card</h3>
          {person && editing ? (
            <EditPersonForm person={person} onSaved={choose} onCancel={() => setEditing(false)} />
          ) : person ? (
            <div className="row selected-person" data-testid="selected-person">
              <PersonPhoto personId={person.id} width={60} name={`${person.givenName} ${person.surname}`} />
              <strong>
                {person.givenName} {person.surname}
              </strong>
              {canEdit(person) && (
                <button type="button" data-testid="person-edit" onClick={() => setEditing(true)}>
                  Edit person
                </button>
              )}
              <button type="button" onClick={() => choose(null)}>
                Choose another person
              </button>
            </div>
          ) : (
            <PersonSearch onSelect={choose} />
          )}
          <div className="row">
            <label>
              Card profile
              <select data-testid="request-profile" value={profile} onChange={(e) => setProfile(e.target.value as Affiliation)}>
                {profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="primary" data-testid="request-create" disabled={!person || creating} onClick={() => void create()}>
              {creating ? 'Requesting…' : 'Request the card'}
            </button>
          </div>
          {createError && (
            <p className="error" role="alert" data-testid="request-error">
              {createError}
            </p>
          )}
          {created && (
            <p className="notice" role="status" data-testid="request-created" data-request-id={created.id} data-state={created.state}>
              Card request <strong data-testid="request-created-number">{requestNumberText(created.number)}</strong> for {created.personName}:{' '}
              {created.state === 'approved' ? 'this profile needs no approval, the card can be produced now.' : 'an approver must now approve it.'}
            </p>
          )}
        </section>
      )}

      <h3>Requests</h3>
      <div className="row filters" role="group" aria-label="Show requests">
        {REQUEST_FILTERS.map((f) => (
          <button
            key={f.id}
            type="button"
            data-testid={`request-filter-${f.id}`}
            aria-pressed={filter === f.id}
            className={filter === f.id ? 'active' : ''}
            onClick={() => void stores.requests.getState().setFilter(f.id)}
          >
            {f.label}
          </button>
        ))}
      </div>
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      <RequestTable requests={list} />
    </section>
  );
}
