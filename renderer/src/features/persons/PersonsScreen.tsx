/**
 * Persons (issues 4, 14): browse everyone page by page (by surname, optionally
 * one affiliation; first, previous, next and last page, each as quick at a
 * million persons as the first), or search; pick a person to see the record, edit it or
 * request a card for them; register a person; import a CSV file. The import
 * is checked by the core first (a dry run: the count, or every bad line) and
 * only a file without bad lines can then be imported, all or nothing.
 */
import { personStandingText } from '../../words/codes';
import { useEffect, useState, type ChangeEvent } from 'react';
import type { Person } from '../../../../electron/contract/station-api';
import { usePersons, useSession, useStores } from '../../stores/stores';
import { mayCall } from '../../../../electron/contract/access';
import type { BrowseFilter, BrowseMove } from '../../stores/persons-store';
import { personsCount } from './counts';
import { EditPersonForm } from './EditPersonForm';
import { PersonSearch } from './PersonSearch';
import { PersonPhoto } from '../photo/PersonPhoto';
import { PhotoCapture } from '../photo/PhotoCapture';

const FILTERS: { value: BrowseFilter; label: string }[] = [
  { value: 'all', label: 'Everyone' },
  { value: 'employee', label: 'Employees' },
  { value: 'contractor', label: 'Contractors' },
  { value: 'visitor', label: 'Visitors' },
];


export interface PersonsScreenProps {
  /** Opens the Requests screen with this person chosen (absent: no "Request a card" button). */
  onRequestCard?(person: Person): void;
}

export function PersonsScreen({ onRequestCard }: PersonsScreenProps) {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const [selected, setSelected] = useState<Person | null>(null);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    void stores.persons.getState().browse('first');
  }, [stores]);

  function choose(p: Person | null) {
    setSelected(p);
    setEditing(false);
  }

  // Mirrors the core's rules (the core refuses anyway): edit needs persons.update and not one's own record.
  const canEdit = (p: Person) => mayCall(officer, 'persons.update') && officer?.personId !== p.id;

  return (
    <section className="persons-screen" data-testid="persons-screen" aria-labelledby="persons-title">
      <h2 id="persons-title">Persons</h2>
      {selected && (
        <section className="step" aria-labelledby="person-detail-title">
          {editing ? (
            <EditPersonForm
              person={selected}
              onSaved={(p) => {
                choose(p);
                void stores.persons.getState().browse();
              }}
              onCancel={() => setEditing(false)}
            />
          ) : (
            <PersonDetail
              person={selected}
              canEdit={canEdit(selected)}
              canPhotograph={mayCall(officer, 'persons.setPhoto') && officer?.personId !== selected.id}
              onEdit={() => setEditing(true)}
              onRequestCard={mayCall(officer, 'requests.create') ? onRequestCard : undefined}
              onClose={() => choose(null)}
            />
          )}
        </section>
      )}
      {mayCall(officer, 'persons.search') && (
        <section className="step" aria-label="Search">
          <PersonSearch
            canRegister={mayCall(officer, 'persons.add')}
            onSelect={(p) => {
              choose(p);
              // A person just registered belongs in the list too.
              void stores.persons.getState().browse();
            }}
          />
        </section>
      )}
      {mayCall(officer, 'persons.import') && <PersonsImport />}
      <PersonsBrowse onSelect={choose} />
    </section>
  );
}

interface PersonDetailProps {
  person: Person;
  canEdit: boolean;
  /** May take or import the person's photo (registration; never one's own: the core refuses it too). */
  canPhotograph: boolean;
  onEdit(): void;
  onRequestCard?(person: Person): void;
  onClose(): void;
}

/** The chosen person's record and what the officer may do with it. */
function PersonDetail({ person, canEdit, canPhotograph, onEdit, onRequestCard, onClose }: PersonDetailProps) {
  return (
    <div className="person-detail" data-testid="person-detail" data-person-id={person.id}>
      <h3 id="person-detail-title">
        {person.givenName} {person.surname}
      </h3>
      <PersonPhoto personId={person.id} width={120} name={`${person.givenName} ${person.surname}`} />
      {canPhotograph && <PhotoCapture personId={person.id} />}
      <dl>
        <dt>Affiliation</dt>
        <dd data-testid="person-detail-affiliation">{person.affiliation}</dd>
        <dt>Employee id</dt>
        <dd data-testid="person-detail-employee-id">{person.employeeId ?? '—'}</dd>
        <dt>E-mail</dt>
        <dd data-testid="person-detail-email">{person.email ?? '—'}</dd>
      </dl>
      <div className="row">
        {canEdit && (
          <button type="button" data-testid="person-edit" onClick={onEdit}>
            Edit person
          </button>
        )}
        {onRequestCard && (
          <button type="button" data-testid="person-request-card" onClick={() => onRequestCard(person)}>
            Request a card
          </button>
        )}
        <button type="button" data-testid="person-detail-close" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

/** Everyone, a page at a time, with the affiliation filter. */
function PersonsBrowse({ onSelect }: { onSelect(person: Person): void }) {
  const stores = useStores();
  const filter = usePersons((s) => s.filter);
  const offset = usePersons((s) => s.offset);
  const page = usePersons((s) => s.page);
  const total = usePersons((s) => s.total);
  const hasBefore = usePersons((s) => s.hasBefore);
  const hasAfter = usePersons((s) => s.hasAfter);
  const browsing = usePersons((s) => s.browsing);
  const error = usePersons((s) => s.browseError);
  const browse = (move: BrowseMove) => void stores.persons.getState().browse(move);
  const last = page.length > 0 ? offset + page.length : offset;
  const place = (n: number) => n.toLocaleString('en');

  return (
    <section className="step persons-browse" aria-labelledby="persons-browse-title">
      <h3 id="persons-browse-title">All persons</h3>
      <div className="row filters" role="group" aria-label="Affiliation">
        {FILTERS.map((f) => (
          <button key={f.value} type="button" data-testid={`persons-filter-${f.value}`} aria-pressed={filter === f.value} onClick={() => void stores.persons.getState().setFilter(f.value)}>
            {f.label}
          </button>
        ))}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="persons-browse-error">
          {error}
        </p>
      )}
      <p className="muted" aria-live="polite" data-testid="persons-page-info" data-offset={browsing ? undefined : offset} data-total={browsing ? undefined : total}>
        {browsing ? 'Loading…' : total === 0 ? 'No person is registered yet.' : `${place(offset + 1)}–${place(last)} of ${personsCount(total)}`}
      </p>
      <table className="persons-table">
        <thead>
          <tr>
            <th scope="col">Surname</th>
            <th scope="col">Given name</th>
            <th scope="col">Affiliation</th>
            <th scope="col">Employee id</th>
            <th scope="col">E-mail</th>
            <th scope="col">Card or request</th>
          </tr>
        </thead>
        <tbody>
          {page.map((p) => (
            <tr key={p.id} data-testid="persons-row" data-person-id={p.id}>
              <td>
                <button type="button" className="link" onClick={() => onSelect(p)}>
                  {p.surname}
                </button>
              </td>
              <td>{p.givenName}</td>
              <td>{p.affiliation}</td>
              <td>{p.employeeId ?? ''}</td>
              <td>{p.email ?? ''}</td>
              <td data-testid="persons-row-standing">{p.standing ? personStandingText(p.standing) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button type="button" data-testid="persons-first" disabled={browsing || !hasBefore} onClick={() => browse('first')}>
          First
        </button>
        <button type="button" data-testid="persons-prev" disabled={browsing || !hasBefore} onClick={() => browse('previous')}>
          Previous
        </button>
        <button type="button" data-testid="persons-next" disabled={browsing || !hasAfter} onClick={() => browse('next')}>
          Next
        </button>
        <button type="button" data-testid="persons-last" disabled={browsing || !hasAfter} onClick={() => browse('last')}>
          Last
        </button>
      </div>
    </section>
  );
}

/** CSV import: choose a file → the core's dry run (count or bad lines) → Import. */
function PersonsImport() {
  const stores = useStores();
  const preview = usePersons((s) => s.preview);
  const importing = usePersons((s) => s.importing);
  const error = usePersons((s) => s.importError);
  const imported = usePersons((s) => s.imported);
  // Bumped after an import, so the file input forgets the file it imported.
  const [inputKey, setInputKey] = useState(0);

  function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) void stores.persons.getState().checkImportFile(file);
    else stores.persons.getState().clearImport();
  }

  async function runImport() {
    await stores.persons.getState().runImport();
    if (stores.persons.getState().preview === null) setInputKey((k) => k + 1);
  }

  const bad = preview?.check.errors ?? [];
  return (
    <section className="step persons-import" aria-labelledby="persons-import-title">
      <h3 id="persons-import-title">Import CSV</h3>
      <label>
        File (header: given_name,surname,email,employee_id,affiliation[,external_id]):{' '}
        <input key={inputKey} type="file" accept=".csv,text/csv,text/plain" data-testid="persons-import-file" onChange={onFile} />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="persons-import-error">
          {error}
        </p>
      )}
      {preview && bad.length > 0 && (
        <div role="alert" data-testid="persons-import-problems">
          <p className="error">
            Nothing can be imported from {preview.fileName}: mend {bad.length === 1 ? 'this line' : `these ${bad.length} lines`} and choose the file again.
          </p>
          <ul>
            {bad.map((b) => (
              <li key={`${b.line}-${b.message}`} className="error" data-testid="persons-import-problem" data-line={b.line}>
                Line {b.line}: {b.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview && bad.length === 0 && (
        <div className="row" data-testid="persons-import-preview" data-count={preview.check.imported}>
          <span>
            {preview.fileName}: {personsCount(preview.check.imported)} to import.
          </span>
          <button type="button" className="primary" data-testid="persons-import-run" disabled={importing} onClick={() => void runImport()}>
            {importing ? 'Importing…' : 'Import'}
          </button>
        </div>
      )}
      {imported !== null && (
        <p role="status" data-testid="persons-import-done" data-count={imported}>
          {personsCount(imported)} imported.
        </p>
      )}
    </section>
  );
}
