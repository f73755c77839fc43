/** The roles of an officer as check boxes (adding and editing an officer), in the contract's order. */
import { ROLE_WORDS, ROLES, type Role } from '../../../../electron/contract/officer-rules';

/** `testIdPrefix` + role names each check box (`officer-role-admin`, `officer-edit-role-admin`). */
export function RoleChoices({ testIdPrefix, chosen, onChange }: { testIdPrefix: string; chosen: ReadonlySet<Role>; onChange: (next: Set<Role>) => void }) {
  const toggle = (role: Role) => {
    const next = new Set(chosen);
    if (next.has(role)) next.delete(role);
    else next.add(role);
    onChange(next);
  };
  return (
    <fieldset>
      <legend>Roles</legend>
      {ROLES.map((role) => (
        <label key={role} className="choice">
          <input type="checkbox" data-testid={`${testIdPrefix}${role}`} checked={chosen.has(role)} onChange={() => toggle(role)} />
          {ROLE_WORDS[role].name}
        </label>
      ))}
    </fieldset>
  );
}
