/**
 * What each officer role may do and must never do (issue 12 obs. 9): every
 * cell comes from the contract (role-abilities.ts reads CHANNEL_ROLES and the
 * state machines the core enforces), nothing is restated here.
 */
import { ROLE_WORDS, ROLES } from '../../../../electron/contract/officer-rules';
import { roleAbilities } from '../../../../electron/contract/role-abilities';

export function RoleTable() {
  return (
    <section className="role-table" aria-labelledby="role-table-title">
      <h3 id="role-table-title">What each role may do</h3>
      <table data-testid="role-table">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">For</th>
            <th scope="col">May</th>
            <th scope="col">Never (separation of duties)</th>
          </tr>
        </thead>
        <tbody>
          {ROLES.map((role) => {
            const { may, limits } = roleAbilities(role);
            return (
              <tr key={role} data-testid="role-row" data-role={role}>
                <th scope="row">{ROLE_WORDS[role].name}</th>
                <td>{ROLE_WORDS[role].duty}</td>
                <td data-testid="role-may">{may.join('; ')}</td>
                <td data-testid="role-limits">{limits.length > 0 ? limits.join(' ') : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
