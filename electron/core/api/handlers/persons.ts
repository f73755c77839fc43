/** StationApi handlers, persons: register, edit, search, browse, import. */
import type { personsChannels } from '../../../contract/channels/persons.js';
import { StationError } from '../../errors.js';
import { actorOf } from '../../workflow/authorization.js';
import { editPerson } from '../../workflow/person-edit.js';
import { importPersons } from '../../workflow/person-import.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';
import { personListViews, personView, personViews } from '../views.js';

export function personsHandlers({ store, ports }: CoreServices): HandlerTable<keyof typeof personsChannels> {
  return {
    'persons.search': async ({ query, limit }) => {
      const { persons, total, more } = store.persons.search(query, { limit });
      return { persons: personViews(store, persons), total, more };
    },
    'persons.get': async ({ id }) => {
      const p = store.persons.get(id);
      if (!p) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.');
      return personViews(store, [p])[0]!;
    },
    'persons.add': async (input, ctx) => {
      const p = store.persons.add({ givenName: input.givenName, surname: input.surname, email: input.email ?? null, employeeId: input.employeeId ?? null, affiliation: input.affiliation });
      store.audit.append({ actor: actorOf(ctx.caller), action: 'person.added', outcome: 'ok', personId: p.id });
      return personView(p, null);
    },
    'persons.update': async ({ id, ...edit }, { caller }) => personViews(store, [editPerson({ store, config: ports.config }, id, edit, caller)])[0]!,
    'persons.list': async (page) => {
      const { persons, ...place } = store.persons.list(page);
      return { persons: personListViews(store, persons), ...place };
    },
    'persons.import': async ({ csv, dryRun }, ctx) => {
      const { added, errors } = importPersons(store, csv, officerOf(ctx).username, { dryRun });
      return { dryRun: dryRun ?? false, imported: added, errors };
    },
  };
}
