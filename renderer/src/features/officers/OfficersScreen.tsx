/**
 * Officers (administrator): every officer with their roles and their own
 * person record, a form to add one, and the link of an officer to their
 * person record (separation of duties reads it: nobody acts on their own
 * card). The core checks the username and password rules, and refuses an
 * administrator's change of their own link. An account locked by failed
 * logins can be unlocked here (audited). Each officer can be edited,
 * disabled or re-enabled and given a new password (OfficerAccount), and the
 * role table says what each role may do (issue 12 obs. 9).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { RoleShape, type OfficerView, type Person } from '../../../../electron/contract/station-api';
import { PASSWORD_RULE, ROLE_WORDS } from '../../../../electron/contract/officer-rules';
import { useOfficers, useSession, useStores } from '../../stores/stores';
import { PersonSearch } from '../persons/PersonSearch';
import { OfficerAccount } from './OfficerAccount';
import { RoleTable } from './RoleTable';
import { RoleChoices } from './RoleChoices';

type Role = OfficerView['roles'][number];
const ROLES = RoleShape.options;

export function OfficersScreen() {
  const stores = useStores();
  const me = useSession((s) => s.officer);
  const list = useOfficers((s) => s.list);
  const listError = useOfficers((s) => s.listError);
  const addError = useOfficers((s) => s.addError);
  const linkError = useOfficers((s) => s.linkError);
  const accountError = useOfficers((s) => s.accountError);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const addedRef = useRef<HTMLParagraphElement>(null);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Set<Role>>(new Set());
  const [person, setPerson] = useState<Person | null>(null);
  const [choosingPerson, setChoosingPerson] = useState(false);
  const [linking, setLinking] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  useEffect(() => {
    void stores.officers.getState().loadList();
  }, [stores]);
  // After an action the keyboard lands on its result (issue 12 "Also": keyboard).
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  useEffect(() => {
    if (added) addedRef.current?.focus();
  }, [added]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setAdded(null);
    const officer = await stores.officers
      .getState()
      .add({ username: username.trim(), displayName: displayName.trim(), password, roles: ROLES.filter((r) => roles.has(r)), ...(person ? { personId: person.id } : {}) });
    setSaving(false);
    setPassword('');
    if (officer) {
      setAdded(officer.username);
      setUsername('');
      setDisplayName('');
      setRoles(new Set());
      setPerson(null);
    }
  }

  async function link(officerId: string, personId: string | null) {
    if (await stores.officers.getState().link(officerId, personId)) setLinking(null);
  }

  return (
    <section className="officers-screen" data-testid="officers-screen" aria-labelledby="officers-title">
      <h2 id="officers-title">Officers</h2>
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      <table className="officers">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Name</th>
            <th scope="col">Roles</th>
            <th scope="col">Own person record</th>
            <th scope="col">Status</th>
            <th scope="col">Account</th>
          </tr>
        </thead>
        <tbody>
          {list.map((o) => (
            <tr key={o.id} data-testid="officer-row" data-username={o.username}>
              <td>{o.username}</td>
              <td>{o.displayName}</td>
              <td>{o.roles.map((r) => ROLE_WORDS[r].name).join(', ')}</td>
              <td data-testid="officer-person">
                {o.personId ? 'Linked' : 'None'}
                {o.id !== me?.id && (
                  <>
                    {' '}
                    <button type="button" data-testid="officer-link" onClick={() => setLinking(linking === o.id ? null : o.id)}>
                      {o.personId ? 'Change…' : 'Link…'}
                    </button>
                    {o.personId && (
                      <button type="button" data-testid="officer-unlink" onClick={() => void link(o.id, null)}>
                        Unlink
                      </button>
                    )}
                  </>
                )}
                {linking === o.id && <PersonSearch canRegister={false} onSelect={(p) => void link(o.id, p.id)} />}
              </td>
              <td>
                {o.status === 'active' ? 'Active' : 'Disabled'}
                {o.loginLocked && (
                  <>
                    {' '}
                    <span data-testid="officer-locked">· locked after failed logins</span>{' '}
                    <button type="button" data-testid="officer-unlock" onClick={() => void stores.officers.getState().unlock(o.id)}>
                      Unlock
                    </button>
                  </>
                )}
              </td>
              <td>{me && <OfficerAccount officer={o} me={me} onDone={setNotice} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {accountError && (
        <p className="error" role="alert" data-testid="officer-account-error">
          {accountError}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" tabIndex={-1} ref={noticeRef} data-testid="officer-account-notice">
          {notice}
        </p>
      )}
      {linkError && (
        <p className="error" role="alert" data-testid="officer-link-error">
          {linkError}
        </p>
      )}

      <form className="officer-form step" onSubmit={submit} aria-labelledby="officer-form-title">
        <h3 id="officer-form-title">Add an officer</h3>
        <div className="grid">
          <label>
            Username
            <input data-testid="officer-username" required autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label>
            Full name
            <input data-testid="officer-display-name" required autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          </label>
          <label>
            Initial password
            <input data-testid="officer-password" type="password" required autoComplete="new-password" aria-describedby="officer-password-rule" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
        </div>
        <p className="muted" id="officer-password-rule">
          {PASSWORD_RULE}
        </p>
        <RoleChoices testIdPrefix="officer-role-" chosen={roles} onChange={setRoles} />
        <fieldset>
          <legend>The officer&apos;s own person record, if they hold a card (nobody acts on their own card)</legend>
          {person ? (
            <p className="row" data-testid="officer-new-person">
              {person.givenName} {person.surname}{' '}
              <button type="button" onClick={() => setPerson(null)}>
                Remove
              </button>
            </p>
          ) : choosingPerson ? (
            <PersonSearch
              canRegister={false}
              onSelect={(p) => {
                setPerson(p);
                setChoosingPerson(false);
              }}
            />
          ) : (
            <button type="button" data-testid="officer-choose-person" onClick={() => setChoosingPerson(true)}>
              Choose the person record…
            </button>
          )}
        </fieldset>
        {addError && (
          <p className="error" role="alert" data-testid="officer-error">
            {addError}
          </p>
        )}
        {added && (
          <p className="notice" role="status" tabIndex={-1} ref={addedRef} data-testid="officer-added">
            Officer {added} added.
          </p>
        )}
        <button type="submit" className="primary" data-testid="officer-save" disabled={saving || roles.size === 0} aria-describedby={roles.size === 0 ? 'officer-save-reason' : undefined}>
          {saving ? 'Adding…' : 'Add the officer'}
        </button>
        {roles.size === 0 && (
          <span className="muted" id="officer-save-reason" data-testid="officer-save-reason">
            {' '}
            Choose at least one role to add the officer.
          </span>
        )}
      </form>
      <RoleTable />
    </section>
  );
}
