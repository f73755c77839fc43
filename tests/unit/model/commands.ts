/**
 * The model's commands: one (or more) per StationApi channel that changes
 * state, each a StationApi call through the dispatcher by one of the
 * sequence's officers (random roles, some linked to persons who hold cards),
 * plus the desk's hands: a blank card inserted, a card of the model put back,
 * a card pulled, a card set to be pulled in the middle of the next production.
 * Picks (officer, person, request, card, job) are indices resolved against
 * what the model knows when the command runs, so every sequence is valid and
 * shrinks well. Each command learns from a success and leaves the checks to
 * ModelRun.settle.
 */
import fc from 'fast-check';
import type { Channel } from '../../../electron/contract/station-api.js';
import type { Operation } from '../../../electron/contract/state-machines.js';
import { VirtualPivCard } from '../../../native/virtual-card/card.js';
import type { Role } from '../../../electron/core/workflow/types.js';
import { AFFILIATIONS, type Affiliation, type ModelRun, type OfficerM } from './model.js';
import { MODEL_PASSWORD, MODEL_PIN, PORTRAIT_CROP, READER, portraitImage as portrait } from './harness.js';

/** The model's real side: nothing beyond the ModelRun (it holds the station). */
type Cmd = fc.AsyncCommand<ModelRun, ModelRun>;

const NEW_PIN = '135792';
const ROLE_LIST: Role[] = ['registration', 'approver', 'production', 'security', 'auditor', 'admin'];

/**
 * A command: its name (the shrunk counterexample reads as a list of them),
 * what it does, and when it applies (what the model must know first).
 */
function command(name: string, run: (m: ModelRun) => Promise<void | { cardId: string; operation: Operation }>, applies: (m: ModelRun) => boolean = () => true): Cmd {
  return {
    check: (m) => applies(m as ModelRun),
    async run(m) {
      const lifecycle = await run(m);
      await m.settle(lifecycle ?? undefined);
    },
    toString: () => name,
  };
}

const hasRequests = (m: ModelRun) => m.requests.size > 0;
const hasJobs = (m: ModelRun) => m.jobs.length > 0;
const isKiosk = (m: ModelRun) => m.kioskActive;
const knownCardInReader = (m: ModelRun) => cardInReader(m) !== undefined;

const officerIdx = fc.nat(7);
const idx = fc.nat(15);
const affiliation = fc.constantFrom<Affiliation>(...AFFILIATIONS);
const maybeProfile = fc.option(affiliation, { nil: undefined });
const typedPin = fc.boolean();

/** The id of the card object held by the physical card in the reader, if the model knows it. */
function cardInReader(m: ModelRun): string | undefined {
  for (const [id, card] of m.physical) if (card === m.inReader) return id;
  return undefined;
}

/** The job id of a successful production call, learned by the model with its producer. */
function learnJob(m: ModelRun, jobId: string, producer: OfficerM): void {
  if (!m.jobs.includes(jobId)) m.jobs.push(jobId);
  const cardId = m.real.station.store.jobs.get(jobId)?.cardId;
  const card = cardId ? m.cards.get(cardId) : undefined;
  if (card) card.producers.set(producer.id, m.actor(producer));
}

/** The card object of a request that was just approved (by an approver, or by the station). */
function learnApproval(m: ModelRun, requestId: string, cardId: string | null, approver: OfficerM | null): void {
  const r = m.requests.get(requestId);
  if (!r || !cardId) return;
  m.cards.set(cardId, { id: cardId, personId: r.personId, profile: r.profile, requester: r.requester, approver: approver && m.actor(approver), approvalNeeded: r.approvalNeeded, producers: new Map() });
  if (approver) m.rejections.delete(`${r.personId}|${r.profile}`);
}

/** A request the model learned from a successful create (desk, kiosk). */
function learnRequest(m: ModelRun, value: { id: string; personId: string; profile: Affiliation; state: string; cardId: string | null }, requester: OfficerM | null, source: 'desk' | 'kiosk'): void {
  m.requests.set(value.id, { id: value.id, personId: value.personId, profile: value.profile, requester: requester && m.actor(requester), approvalNeeded: m.approvalNeeded(value.personId, value.profile, source) });
  if (value.state === 'approved') learnApproval(m, value.id, value.cardId, null);
}

/**
 * The i-th of `ids` whose current state (per `stateOf`) is one of `wanted`,
 * or, two times in three, when none is (or to try a refusal), the i-th of all:
 * picks aim at records the call can act on, and still try the others.
 */
function pickIn(m: ModelRun, ids: readonly string[], i: number, stateOf: (id: string) => string | undefined, wanted: readonly string[]): string | undefined {
  const fitting = ids.filter((id) => wanted.includes(stateOf(id) ?? ''));
  return fitting.length > 0 && i % 3 !== 0 ? m.pick(fitting, i) : m.pick(ids, i);
}
const requestState = (m: ModelRun) => (id: string) => m.real.station.store.requests.get(id)?.state;
const cardStatus = (m: ModelRun) => (id: string) => m.real.station.store.cards.get(id)?.status;
const jobStatus = (m: ModelRun) => (id: string) => m.real.station.store.jobs.get(id)?.status;
const requestIn = (m: ModelRun, i: number, ...states: string[]) => pickIn(m, [...m.requests.keys()], i, requestState(m), states);
const cardIn = (m: ModelRun, i: number, ...statuses: string[]) => pickIn(m, [...m.cards.keys()], i, cardStatus(m), statuses);
const jobIn = (m: ModelRun, i: number, ...statuses: string[]) => pickIn(m, m.jobs, i, jobStatus(m), statuses);

/** Every command arbitrary, and the channels the commands call. */
export const COMMANDS: { channels: Channel[]; arbitrary: fc.Arbitrary<Cmd>; weight: number }[] = [
  // ---------- sessions and officers ----------
  {
    channels: ['auth.login'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, fc.boolean()).map(([o, right]) =>
      command(`login(${o}, ${right ? 'right' : 'wrong'} password)`, async (m) => {
        const officer = m.officer(o);
        await m.call(officer, 'auth.login', { username: officer.username, password: right ? MODEL_PASSWORD : 'not the password at all' });
      }),
    ),
  },
  {
    channels: ['auth.logout'],
    weight: 1,
    arbitrary: officerIdx.map((o) => command(`logout(${o})`, async (m) => void (await m.call(m.officer(o), 'auth.logout', {})))),
  },
  {
    // A reload of the officer's page: the session moves to the same connection with a fresh token; a stale token is refused.
    channels: ['auth.resume'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, fc.boolean()).map(([o, stale]) =>
      command(`resume(${o}${stale ? ', stale token' : ''})`, async (m) => {
        const officer = m.officer(o);
        const status = await m.call(officer, 'auth.status', {});
        const value = status.ok ? (status.value as { resumeToken?: string }) : {};
        const token = stale ? 'a stale resume token' : (value.resumeToken ?? 'no session');
        await m.call(officer, 'auth.resume', { token });
      }),
    ),
  },
  {
    channels: ['auth.firstRunAdmin'],
    weight: 1,
    arbitrary: fc.constant(command('firstRunAdmin', async (m) => void (await m.call('intruder', 'auth.firstRunAdmin', { username: 'intruder', displayName: 'Intruder', password: 'an intruder password' })))),
  },
  {
    channels: ['officers.add'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, fc.subarray(ROLE_LIST, { minLength: 1 }), fc.option(idx, { nil: undefined }), fc.nat(99)).map(([o, roles, p, n]) =>
      command(`addOfficer(${o}, [${roles}], person ${p})`, async (m) => {
        const personId = p === undefined ? null : m.person(p).id;
        const username = `added${n}.${m.officers.length}`;
        const r = await m.call(m.officer(o), 'officers.add', { username, displayName: username, password: MODEL_PASSWORD, roles, personId });
        if (r.ok) {
          const added = { id: r.value.id, username, roles, personId, connection: username };
          m.officers.push(added);
          await m.call(added, 'auth.login', { username, password: MODEL_PASSWORD });
        }
      }),
    ),
  },
  {
    channels: ['officers.link'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, officerIdx, fc.option(idx, { nil: undefined })).map(([o, t, p]) =>
      command(`linkOfficer(${o}, officer ${t}, person ${p})`, async (m) => {
        const target = m.officer(t);
        const personId = p === undefined ? null : m.person(p).id;
        const r = await m.call(m.officer(o), 'officers.link', { officerId: target.id, personId });
        if (r.ok) target.personId = personId;
      }),
    ),
  },
  {
    // An administrator edits another officer's name and roles; the model's officer keeps the roles the core kept.
    channels: ['officers.update'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, officerIdx, fc.subarray(ROLE_LIST, { minLength: 1 })).map(([o, t, roles]) =>
      command(`updateOfficer(${o}, officer ${t}, [${roles}])`, async (m) => {
        const target = m.officer(t);
        const r = await m.call(m.officer(o), 'officers.update', { officerId: target.id, roles });
        if (r.ok) target.roles = (r.value as unknown as { roles: Role[] }).roles;
      }),
    ),
  },
  {
    // Disabled, then (usually) re-enabled at once, so sequences keep their officers; a refusal (own account, last administrator) changes nothing.
    channels: ['officers.setStatus'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, officerIdx, fc.boolean()).map(([o, t, keep]) =>
      command(`disableOfficer(${o}, officer ${t}${keep ? ', kept disabled' : ''})`, async (m) => {
        const target = m.officer(t);
        const r = await m.call(m.officer(o), 'officers.setStatus', { officerId: target.id, status: 'disabled' });
        if (r.ok && !keep) {
          await m.call(m.officer(o), 'officers.setStatus', { officerId: target.id, status: 'active' });
          await m.call(target, 'auth.login', { username: target.username, password: MODEL_PASSWORD });
        }
      }),
    ),
  },
  {
    // A reset password is generated by the core and ends the target's sessions; the model's officers share one
    // password, so the harness puts the old hash back (as the desk would hand the new one over) and logs them in again.
    channels: ['officers.resetPassword'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, officerIdx).map(([o, t]) =>
      command(`resetPassword(${o}, officer ${t})`, async (m) => {
        const target = m.officer(t);
        const officers = m.real.station.store.officers;
        const before = officers.passwordHash(target.id)!;
        const r = await m.call(m.officer(o), 'officers.resetPassword', { officerId: target.id });
        if (r.ok) {
          officers.setPasswordHash(target.id, before);
          await m.call(target, 'auth.login', { username: target.username, password: MODEL_PASSWORD });
        }
      }),
    ),
  },
  // ---------- persons and profiles ----------
  {
    channels: ['persons.add'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, affiliation).map(([o, a]) =>
      command(`addPerson(${o}, ${a})`, async (m) => {
        const n = m.persons.length;
        const employeeId = `N${n}${Date.now() % 1000}`;
        const email = `new${n}@model.test`;
        const r = await m.call(m.officer(o), 'persons.add', { givenName: 'New', surname: `Person${n}`, email, employeeId, affiliation: a });
        if (r.ok) m.persons.push({ id: r.value.id, affiliation: a, employeeId, email });
      }),
    ),
  },
  {
    channels: ['persons.update'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, idx, affiliation).map(([o, p, a]) =>
      command(`updatePerson(${o}, person ${p}, ${a})`, async (m) => {
        const person = m.person(p);
        const r = await m.call(m.officer(o), 'persons.update', { id: person.id, affiliation: a });
        if (r.ok) person.affiliation = a;
      }),
    ),
  },
  {
    channels: ['persons.import'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, affiliation, fc.boolean()).map(([o, a, dryRun]) =>
      command(`importPersons(${o}, ${a}, dryRun ${dryRun})`, async (m) => {
        const n = m.persons.length;
        const csv = `given_name,surname,email,employee_id,affiliation\nImported,Person${n},imported${n}@model.test,I${n},${a}\n`;
        const r = await m.call(m.officer(o), 'persons.import', { csv, dryRun });
        if (r.ok && !dryRun && r.value.imported === 1) {
          const id = m.real.station.store.persons.findByEmployeeId(`I${n}`)?.id;
          if (id) m.persons.push({ id, affiliation: a, employeeId: `I${n}`, email: `imported${n}@model.test` });
        }
      }),
    ),
  },
  {
    channels: ['profiles.update'],
    weight: 2,
    arbitrary: fc.tuple(officerIdx, affiliation, fc.oneof(fc.boolean(), fc.subarray([...AFFILIATIONS], { minLength: 1 }))).map(([o, id, change]) =>
      command(`updateProfile(${o}, ${id}, ${JSON.stringify(change)})`, async (m) => {
        const patch = typeof change === 'boolean' ? { approvalRequired: change } : { affiliations: change };
        const r = await m.call(m.officer(o), 'profiles.update', { id, patch });
        if (r.ok) {
          if (typeof change === 'boolean') m.profiles[id].approvalRequired = change;
          else m.profiles[id].affiliations = change;
        }
      }),
    ),
  },
  // ---------- requests ----------
  {
    channels: ['requests.create'],
    weight: 4,
    arbitrary: fc.tuple(officerIdx, idx, maybeProfile).map(([o, p, profile]) =>
      command(`createRequest(${o}, person ${p}, ${profile ?? 'affiliation'})`, async (m) => {
        const officer = m.officer(o);
        const person = m.person(p);
        const r = await m.call(officer, 'requests.create', { personId: person.id, profile: profile ?? person.affiliation });
        if (r.ok) {
          m.selfService(officer, person.id, 'requested a card');
          learnRequest(m, r.value, officer, 'desk');
        }
      }),
    ),
  },
  {
    channels: ['requests.approve'],
    weight: 4,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, q]) =>
      command(`approve(${o}, request ${q})`, async (m) => {
        const requestId = requestIn(m, q, 'requested');
        if (!requestId) return;
        const officer = m.officer(o);
        const r = await m.call(officer, 'requests.approve', { requestId });
        if (r.ok) {
          m.selfService(officer, r.value.personId, 'approved a card');
          learnApproval(m, requestId, r.value.cardId, officer);
        }
      }, hasRequests),
    ),
  },
  {
    channels: ['requests.reject'],
    weight: 2,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, q]) =>
      command(`reject(${o}, request ${q})`, async (m) => {
        const requestId = requestIn(m, q, 'requested');
        if (!requestId) return;
        const r = await m.call(m.officer(o), 'requests.reject', { requestId, reason: 'the model says no' });
        if (r.ok) m.rejections.add(`${r.value.personId}|${r.value.profile}`);
      }, hasRequests),
    ),
  },
  {
    channels: ['requests.produce'],
    weight: 4,
    arbitrary: fc.tuple(officerIdx, idx, typedPin).map(([o, q, typed]) =>
      command(`produceRequest(${o}, request ${q}, ${typed ? 'typed' : 'generated'} PIN)`, async (m) => {
        const requestId = requestIn(m, q, 'approved', 'production_failed');
        if (!requestId) return;
        const officer = m.officer(o);
        const r = await m.call(officer, 'requests.produce', { requestId, readerName: READER, ...(typed ? { pin: MODEL_PIN } : {}) });
        if (r.ok) {
          m.selfService(officer, m.requests.get(requestId)!.personId, 'produced a card');
          learnJob(m, r.value.jobId, officer);
          const card = m.cards.get(m.real.station.store.jobs.get(r.value.jobId)!.cardId);
          if (card && typed) card.pin = MODEL_PIN;
        }
      }, hasRequests),
    ),
  },
  {
    channels: ['production.start'],
    weight: 3,
    arbitrary: fc.tuple(officerIdx, idx, maybeProfile, typedPin).map(([o, p, profile, typed]) =>
      command(`directIssue(${o}, person ${p}, ${profile ?? 'affiliation'}, ${typed ? 'typed' : 'generated'} PIN)`, async (m) => {
        const officer = m.officer(o);
        const person = m.person(p);
        const r = await m.call(officer, 'production.start', { personId: person.id, readerName: READER, ...(profile ? { profile } : {}), ...(typed ? { pin: MODEL_PIN } : {}) });
        if (!r.ok) return;
        m.selfService(officer, person.id, 'issued a card directly');
        const job = m.real.station.store.jobs.get(r.value.jobId)!;
        const chosen = (profile ?? person.affiliation) as Affiliation;
        // Direct issue is a request by this officer (whatever record the station made of it) and its production.
        m.cards.set(job.cardId, {
          id: job.cardId,
          personId: person.id,
          profile: chosen,
          requester: m.actor(officer),
          approver: null,
          approvalNeeded: m.approvalNeeded(person.id, chosen, 'desk'),
          producers: new Map([[officer.id, m.actor(officer)]]),
          ...(typed ? { pin: MODEL_PIN } : {}),
        });
        m.jobs.push(r.value.jobId);
      }),
    ),
  },
  // ---------- jobs and batches ----------
  {
    channels: ['jobs.retry'],
    weight: 2,
    arbitrary: fc.tuple(officerIdx, idx, typedPin).map(([o, j, typed]) =>
      command(`retry(${o}, job ${j})`, async (m) => {
        const jobId = jobIn(m, j, 'failed');
        if (!jobId) return;
        const officer = m.officer(o);
        const r = await m.call(officer, 'jobs.retry', { jobId, readerName: READER, ...(typed ? { pin: MODEL_PIN } : {}) });
        if (r.ok) {
          m.selfService(officer, m.real.station.store.jobs.get(jobId)!.personId, 'produced a card (retry)');
          learnJob(m, jobId, officer);
        }
      }, hasJobs),
    ),
  },
  {
    channels: ['jobs.cancel'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, j]) =>
      command(`cancelJob(${o}, job ${j})`, async (m) => {
        const jobId = jobIn(m, j, 'failed');
        if (jobId) await m.call(m.officer(o), 'jobs.cancel', { jobId, reason: 'the model cancels' });
      }, hasJobs),
    ),
  },
  {
    channels: ['jobs.takeSecrets'],
    weight: 2,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, j]) =>
      command(`takeSecrets(${o}, job ${j})`, async (m) => {
        const jobId = jobIn(m, j, 'done');
        if (!jobId) return;
        const officer = m.officer(o);
        const r = await m.call(officer, 'jobs.takeSecrets', { jobId });
        if (r.ok && (r.value.puk || r.value.pin)) {
          const job = m.real.station.store.jobs.get(jobId)!;
          m.selfService(officer, job.personId, 'took the one-time secrets');
          const card = m.cards.get(job.cardId);
          if (card && r.value.pin) card.pin = r.value.pin;
        }
      }, hasJobs),
    ),
  },
  {
    channels: ['batches.start'],
    weight: 2,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, q]) =>
      command(`batch(${o}, request ${q})`, async (m) => {
        const requestId = requestIn(m, q, 'approved');
        if (!requestId) return;
        const officer = m.officer(o);
        const r = await m.call(officer, 'batches.start', { requestIds: [requestId], readers: [READER] });
        if (r.ok) {
          m.selfService(officer, m.requests.get(requestId)!.personId, 'produced a card (batch)');
          m.batches.set(r.value.batchId, m.actor(officer));
        }
      }, hasRequests),
    ),
  },
  {
    channels: ['batches.cancelItem'],
    weight: 4,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, b]) =>
      command(`cancelBatchItem(${o}, batch ${b})`, async (m) => {
        const batchId = m.pick([...m.batches.keys()], b);
        if (!batchId) return;
        const requestId = m.real.station.store.db.prepare('SELECT request_id FROM batch_items WHERE batch_id = ?').pluck().get(batchId) as string;
        await m.call(m.officer(o), 'batches.cancelItem', { batchId, requestId, reason: 'the model cancels' });
      }, (m) => m.batches.size > 0),
    ),
  },
  {
    channels: ['batches.setPaused'],
    weight: 4,
    arbitrary: fc.tuple(officerIdx, idx, fc.boolean()).map(([o, b, paused]) =>
      command(`setBatchPaused(${o}, batch ${b}, ${paused})`, async (m) => {
        const batchId = m.pick([...m.batches.keys()], b);
        if (!batchId) return;
        await m.call(m.officer(o), 'batches.setPaused', { batchId, action: paused ? 'pause' : 'resume' });
      }, (m) => m.batches.size > 0),
    ),
  },
  {
    channels: ['batches.retryItem'],
    weight: 4,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, b]) =>
      command(`retryBatchItem(${o}, batch ${b})`, async (m) => {
        const batchId = m.pick([...m.batches.keys()], b);
        if (!batchId) return;
        const item = m.real.station.store.db.prepare('SELECT request_id AS requestId, job_id AS jobId FROM batch_items WHERE batch_id = ?').get(batchId) as { requestId: string; jobId: string | null };
        const officer = m.officer(o);
        const r = await m.call(officer, 'batches.retryItem', { batchId, requestId: item.requestId });
        if (r.ok && item.jobId) {
          m.selfService(officer, m.real.station.store.jobs.get(item.jobId)!.personId, 'produced a card (batch retry)');
          learnJob(m, item.jobId, officer);
        }
      }, (m) => m.batches.size > 0),
    ),
  },
  // ---------- card lifecycle ----------
  {
    channels: ['cards.revoke'],
    weight: 2,
    arbitrary: fc.tuple(officerIdx, idx, fc.constantFrom('lost', 'stolen', 'damaged', 'left', 'key-compromise')).map(([o, c, reason]) =>
      command(`revoke(${o}, card ${c}, ${reason})`, async (m) => {
        const cardId = cardIn(m, c, 'produced', 'active', 'suspended', 'production_failed');
        if (!cardId) return;
        await m.call(m.officer(o), 'cards.revoke', { card: cardId, reason });
        return { cardId, operation: 'revoke' };
      }),
    ),
  },
  {
    channels: ['cards.suspend'],
    weight: 4,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, c]) =>
      command(`suspend(${o}, card ${c})`, async (m) => {
        const cardId = cardIn(m, c, 'produced', 'active');
        if (!cardId) return;
        const before = m.real.station.store.cards.get(cardId)?.status;
        const r = await m.call(m.officer(o), 'cards.suspend', { card: cardId });
        if (r.ok) m.cards.get(cardId)!.suspendedFrom = before;
        return { cardId, operation: 'suspend' };
      }),
    ),
  },
  {
    channels: ['cards.resume'],
    weight: 4,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, c]) =>
      command(`resume(${o}, card ${c})`, async (m) => {
        const cardId = cardIn(m, c, 'suspended');
        if (!cardId) return;
        const officer = m.officer(o);
        const card = m.cards.get(cardId)!;
        const r = await m.call(officer, 'cards.resume', { card: cardId });
        if (r.ok) {
          m.selfService(officer, card.personId, 'resumed a card');
          // Resume goes back to the status the suspension interrupted (never activates a card awaiting collection).
          if (card.suspendedFrom && r.value.status !== card.suspendedFrom) {
            throw new Error(`invariant (iii): resume made card ${cardId} ${r.value.status}; its suspension had interrupted ${card.suspendedFrom}`);
          }
          card.suspendedFrom = undefined;
        }
        return { cardId, operation: 'resume' };
      }),
    ),
  },
  {
    channels: ['cards.activate'],
    weight: 3,
    arbitrary: fc.tuple(officerIdx, fc.boolean()).map(([o, rightPin]) =>
      command(`activate(${o}, ${rightPin ? 'right' : 'wrong'} PIN)`, async (m) => {
        const cardId = cardInReader(m);
        const officer = m.officer(o);
        const pin = rightPin ? (cardId && m.cards.get(cardId)?.pin) || MODEL_PIN : '975318';
        const r = await m.call(officer, 'cards.activate', { readerName: READER, pin });
        if (r.ok) m.selfService(officer, r.value.personId, 'activated a card');
        return cardId ? { cardId, operation: 'activate' } : undefined;
      }, knownCardInReader),
    ),
  },
  {
    channels: ['cards.unlock'],
    weight: 2,
    arbitrary: officerIdx.map((o) =>
      command(`unlock(${o})`, async (m) => {
        const officer = m.officer(o);
        const r = await m.call(officer, 'cards.unlock', { readerName: READER, newPin: NEW_PIN });
        if (r.ok) {
          m.selfService(officer, r.value.personId, 'unlocked a card');
          const card = m.cards.get(r.value.id);
          if (card) card.pin = NEW_PIN;
        }
        const cardId = cardInReader(m);
        return cardId ? { cardId, operation: 'unlock' } : undefined;
      }, knownCardInReader),
    ),
  },
  {
    channels: ['cards.reissue'],
    weight: 3,
    arbitrary: fc.tuple(officerIdx, idx, typedPin).map(([o, c, typed]) =>
      command(`reissue(${o}, card ${c}, ${typed ? 'typed' : 'generated'} PIN)`, async (m) => {
        const cardId = cardIn(m, c, 'produced', 'active', 'suspended', 'revoked');
        if (!cardId) return;
        const officer = m.officer(o);
        const old = m.cards.get(cardId)!;
        const r = await m.call(officer, 'cards.reissue', { card: cardId, reason: 'damaged', readerName: READER, ...(typed ? { pin: MODEL_PIN } : {}) });
        if (r.ok) {
          m.selfService(officer, old.personId, 'reissued a card');
          // The replacement re-fulfils the old card's request: its requester and approval, produced by the reissuing officer.
          const replacement = r.value.cardId!;
          m.cards.set(replacement, { ...old, id: replacement, producers: new Map([[officer.id, m.actor(officer)]]), suspendedFrom: undefined, ...(typed ? { pin: MODEL_PIN } : { pin: undefined }) });
          m.requests.set(r.value.requestId, { id: r.value.requestId, personId: old.personId, profile: old.profile, requester: old.requester, approvalNeeded: old.approvalNeeded });
          m.jobs.push(r.value.jobId);
        }
        return { cardId, operation: 'reissue' };
      }),
    ),
  },
  {
    channels: ['cards.recycle'],
    weight: 1,
    arbitrary: officerIdx.map((o) =>
      command(`recycle(${o})`, async (m) => {
        const cardId = cardInReader(m);
        const r = await m.call(m.officer(o), 'cards.recycle', { readerName: READER });
        if (r.ok) m.physical.delete(r.value.id);
        return cardId ? { cardId, operation: 'recycle' } : undefined;
      }, knownCardInReader),
    ),
  },
  // ---------- kiosk, outbox, audit ----------
  {
    channels: ['kiosk.start'],
    weight: 1,
    arbitrary: officerIdx.map((o) =>
      command(`kioskStart(${o})`, async (m) => {
        const officer = m.officer(o);
        const login = await m.call('kiosk', 'auth.login', { username: officer.username, password: MODEL_PASSWORD });
        if (login.ok && (await m.call('kiosk', 'kiosk.start', {})).ok) {
          m.kioskActive = true;
          m.kioskPerson = undefined;
        }
      }),
    ),
  },
  {
    channels: ['kiosk.identify'],
    weight: 2,
    arbitrary: fc.tuple(idx, fc.boolean()).map(([p, right]) =>
      command(`kioskIdentify(person ${p}, ${right ? 'right' : 'wrong'})`, async (m) => {
        const person = m.person(p);
        const r = await m.call('kiosk', 'kiosk.identify', { employeeId: person.employeeId, email: right ? person.email : 'nobody@model.test' });
        if (r.ok) m.kioskPerson = person.id;
      }, isKiosk),
    ),
  },
  {
    channels: ['kiosk.request'],
    weight: 2,
    arbitrary: idx.map((p) =>
      command(`kioskRequest(person ${p})`, async (m) => {
        // Nobody identified yet: person p identifies first (a visit is identify, then request).
        if (m.kioskPerson === undefined) {
          const visitor = m.person(p);
          const r = await m.call('kiosk', 'kiosk.identify', { employeeId: visitor.employeeId, email: visitor.email });
          if (r.ok) m.kioskPerson = visitor.id;
        }
        const person = m.persons.find((q) => q.id === m.kioskPerson);
        if (!person) return;
        const r = await m.call('kiosk', 'kiosk.request', { profile: person.affiliation });
        if (r.ok) {
          learnRequest(m, { id: r.value.requestId, personId: person.id, profile: person.affiliation, state: r.value.state, cardId: null }, null, 'kiosk');
          m.kioskPerson = undefined;
        }
      }, isKiosk),
    ),
  },
  {
    channels: ['kiosk.reset'],
    weight: 1,
    arbitrary: fc.constant(
      command('kioskReset', async (m) => {
        if ((await m.call('kiosk', 'kiosk.reset', {})).ok) m.kioskPerson = undefined;
      }, isKiosk),
    ),
  },
  {
    channels: ['outbox.redeliver'],
    weight: 1,
    arbitrary: officerIdx.map((o) => command(`redeliver(${o})`, async (m) => void (await m.call(m.officer(o), 'outbox.redeliver', { allDead: true })))),
  },
  {
    channels: ['audit.verify'],
    weight: 1,
    arbitrary: officerIdx.map((o) => command(`auditVerifySign(${o})`, async (m) => void (await m.call(m.officer(o), 'audit.verify', { sign: true })))),
  },
  {
    channels: ['audit.rotateKey'],
    weight: 1,
    arbitrary: officerIdx.map((o) => command(`auditRotateKey(${o})`, async (m) => void (await m.call(m.officer(o), 'audit.rotateKey', {})))),
  },
  {
    channels: ['outbox.setSecret'],
    weight: 1,
    arbitrary: officerIdx.map((o) => command(`outboxSetSecret(${o})`, async (m) => void (await m.call(m.officer(o), 'outbox.setSecret', { secret: 'a model delivery secret' })))),
  },
  {
    // The model's station is a running face on a training data dir: the passphrase change is refused
    // (only a one-shot face's core offers it, and a training data dir has no passphrase); a refusal changes nothing.
    channels: ['station.changePassphrase'],
    weight: 1,
    arbitrary: officerIdx.map((o) => command(`changePassphrase(${o})`, async (m) => void (await m.call(m.officer(o), 'station.changePassphrase', { newPassphrase: 'violet tractor mango whistle' })))),
  },
  {
    channels: ['officers.unlock'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, officerIdx).map(([o, t]) =>
      command(`officerUnlock(${o}, officer ${t})`, async (m) => void (await m.call(m.officer(o), 'officers.unlock', { officerId: m.officer(t).id }))),
    ),
  },
  {
    channels: ['jobs.pinMailer'],
    weight: 2,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, j]) =>
      command(`pinMailer(${o}, job ${j})`, async (m) => {
        const jobId = jobIn(m, j, 'done');
        if (!jobId) return;
        const officer = m.officer(o);
        const r = await m.call(officer, 'jobs.pinMailer', { jobId });
        // The mailer carries the generated PIN: a one-time secret.
        if (r.ok && r.value.pdf) m.selfService(officer, m.real.station.store.jobs.get(jobId)!.personId, 'took a PIN mailer');
      }, hasJobs),
    ),
  },
  // ---------- the physical card (issue 11) ----------
  {
    channels: ['persons.setPhoto'],
    weight: 2,
    arbitrary: fc.tuple(officerIdx, idx, fc.boolean()).map(([o, p, dryRun]) =>
      command(`setPhoto(${o}, person ${p}, dryRun ${dryRun})`, async (m) => {
        const officer = m.officer(o);
        const person = m.person(p);
        const r = await m.call(officer, 'persons.setPhoto', { personId: person.id, image: await portrait(), source: 'camera', crop: PORTRAIT_CROP, dryRun });
        // Nobody stores their own photo; a replacement voids approvals along the photo rows (invariant iii holds it to them).
        if (r.ok && r.value.photo) m.selfService(officer, person.id, 'stored their own photo');
      }),
    ),
  },
  {
    channels: ['layouts.update'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, affiliation, fc.boolean()).map(([o, profile, showIssueDate]) =>
      command(`updateLayout(${o}, ${profile}, issue date ${showIssueDate})`, async (m) => void (await m.call(m.officer(o), 'layouts.update', { profile, patch: { showIssueDate } }))),
    ),
  },
  {
    // The model's station prints to an in-memory queue: a reprint the rule book allows is printed and counted on the card.
    channels: ['cards.reprint'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, idx).map(([o, c]) =>
      command(`reprint(${o}, card ${c})`, async (m) => {
        const cardId = cardIn(m, c, 'produced', 'active', 'suspended');
        if (!cardId) return;
        const officer = m.officer(o);
        const r = await m.call(officer, 'cards.reprint', { card: cardId, reason: 'damaged in the printer' });
        if (r.ok) m.selfService(officer, m.cards.get(cardId)!.personId, 'reprinted their own card');
        return { cardId, operation: 'reprint' };
      }, (m) => m.cards.size > 0),
    ),
  },
  {
    // The model's station has no IDPRS: every CPR call is refused, and a refusal changes nothing (invariant v).
    channels: ['cpr.submit', 'cpr.delete'],
    weight: 1,
    arbitrary: fc.tuple(officerIdx, fc.boolean()).map(([o, submit]) =>
      command(`cpr${submit ? 'Submit' : 'Delete'}(${o})`, async (m) => {
        if (submit) await m.call(m.officer(o), 'cpr.submit', { envelope: Buffer.from('not a signed CPR').toString('base64') });
        else await m.call(m.officer(o), 'cpr.delete', { idprsRequestId: 'MODEL-1' });
      }),
    ),
  },
  // ---------- the desk's hands ----------
  {
    channels: [],
    weight: 3,
    arbitrary: fc.constant(
      command('insertBlank', async (m) => {
        const card = VirtualPivCard.create();
        m.real.reader.insert(card);
        m.inReader = card;
      }),
    ),
  },
  {
    channels: [],
    weight: 3,
    arbitrary: idx.map((c) =>
      command(`insertCard(${c})`, async (m) => {
        const entry = m.pick([...m.physical.entries()], c);
        if (!entry) return;
        entry[1].faults.removeAfterApdus = undefined;
        m.real.reader.insert(entry[1]);
        m.inReader = entry[1];
      }, (m) => m.physical.size > 0),
    ),
  },
  {
    channels: [],
    weight: 1,
    arbitrary: fc.constant(
      command('reinsert', async (m) => {
        // The card pulled during a production goes back in: its job can be retried.
        if (!m.inReader) return;
        m.inReader.faults.removeAfterApdus = undefined;
        m.real.reader.insert(m.inReader);
      }),
    ),
  },
  {
    channels: [],
    weight: 1,
    arbitrary: fc.integer({ min: 3, max: 80 }).map((n) =>
      command(`pullAfter(${n} APDUs)`, async (m) => {
        if (m.inReader) m.inReader.faults.removeAfterApdus = n;
      }),
    ),
  },
];

/** Every channel some command calls. */
export const MODEL_CHANNELS: ReadonlySet<Channel> = new Set(COMMANDS.flatMap((c) => c.channels));

/** The command arbitraries as fc.commands takes them, weighted. */
export function commandArbitraries(): fc.Arbitrary<Cmd>[] {
  return [fc.oneof(...COMMANDS.map((c) => ({ arbitrary: c.arbitrary, weight: c.weight })))];
}
