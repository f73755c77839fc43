import { describe, expect, it } from 'vitest';
import { StationError } from '../../../../electron/core/errors.js';
import { ADA, memoryStore, sampleCard } from './helpers.js';

const STEPS = ['connect', 'identify', 'authenticate', 'chuid', 'finish'];

function setup() {
  const store = memoryStore();
  const person = store.persons.add(ADA);
  const card = store.cards.create(sampleCard(person.id));
  return { store, person, card };
}

describe('jobs repository', () => {
  it('creates a job with its ordered pending steps', () => {
    const { store, person, card } = setup();
    const job = store.jobs.create({ cardId: card.id, personId: person.id, readerName: 'Virtual PCD 00 00', params: { profile: 'piv-standard', slots: ['9A'] } }, STEPS);
    expect(job).toMatchObject({ kind: 'produce', status: 'pending', failedStep: null, error: null, cancelReason: null, readerName: 'Virtual PCD 00 00' });
    expect(job.params).toEqual({ profile: 'piv-standard', slots: ['9A'] });
    expect(store.jobs.get(job.id)).toEqual(job);
    const steps = store.jobs.steps(job.id);
    expect(steps.map((s) => [s.name, s.ordinal, s.status, s.attempts])).toEqual(STEPS.map((n, i) => [n, i, 'pending', 0]));
    expect(steps[0]).toMatchObject({ startedAt: null, finishedAt: null, error: null, data: null });
  });

  it('creates nothing when a step name repeats or the card is unknown', () => {
    const { store, person, card } = setup();
    expect(() => store.jobs.create({ cardId: card.id, personId: person.id }, ['a', 'a'])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.jobs.create({ cardId: '00000000-0000-4000-8000-000000000000', personId: person.id }, STEPS)).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND_RECORD' }),
    );
    expect(store.jobs.list()).toEqual([]);
    expect(store.db.prepare('SELECT count(*) FROM job_steps').pluck().get()).toBe(0);
  });

  it('lists jobs oldest first, filtered by status', () => {
    const { store, person, card } = setup();
    const a = store.jobs.create({ cardId: card.id, personId: person.id }, STEPS);
    const b = store.jobs.create({ cardId: card.id, personId: person.id, status: 'running' }, STEPS);
    const c = store.jobs.create({ cardId: card.id, personId: person.id }, STEPS);
    store.jobs.update(c.id, { status: 'failed' });
    expect(store.jobs.list().map((j) => j.id)).toEqual([a.id, b.id, c.id]);
    expect(store.jobs.list({ status: ['running', 'failed'] }).map((j) => j.id)).toEqual([b.id, c.id]);
    expect(store.jobs.list({ status: [] })).toEqual([]);
    expect(() => store.jobs.list({ status: ['lost' as never] })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('records a failure with the StationError as JSON, and a cancel reason', () => {
    const { store, person, card } = setup();
    const job = store.jobs.create({ cardId: card.id, personId: person.id }, STEPS);
    const error = new StationError('CARD_REMOVED', 'The card was removed.', { reader: 'Virtual PCD 00 00' }).toJSON();
    const failed = store.jobs.update(job.id, { status: 'failed', failedStep: 'chuid', error });
    expect(failed).toMatchObject({ status: 'failed', failedStep: 'chuid', error });
    expect(store.jobs.get(job.id)?.error).toEqual(error);
    const cancelled = store.jobs.update(job.id, { status: 'cancelled', cancelReason: 'card damaged', error: null });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'card damaged', error: null, failedStep: 'chuid' });
    expect(cancelled.updatedAt > job.updatedAt).toBe(true);
  });

  it('update: NOT_FOUND_RECORD / INVALID_INPUT', () => {
    const { store, person, card } = setup();
    const job = store.jobs.create({ cardId: card.id, personId: person.id }, STEPS);
    expect(() => store.jobs.update('00000000-0000-4000-8000-000000000000', { status: 'done' })).toThrowError(expect.objectContaining({ code: 'NOT_FOUND_RECORD' }));
    expect(() => store.jobs.update(job.id, { status: 'exploded' as never })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.jobs.update(job.id, { error: { code: 'X' } as never })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('checkpoints steps: status, attempts, times, outputs and errors', () => {
    const { store, person, card } = setup();
    const job = store.jobs.create({ cardId: card.id, personId: person.id }, STEPS);
    const running = store.jobs.updateStep(job.id, 'chuid', { status: 'running', attempts: 1, startedAt: '2025-03-01T09:10:00.000Z' });
    expect(running).toMatchObject({ jobId: job.id, name: 'chuid', ordinal: 3, status: 'running', attempts: 1, startedAt: '2025-03-01T09:10:00.000Z' });
    const done = store.jobs.updateStep(job.id, 'chuid', { status: 'done', finishedAt: '2025-03-01T09:10:02.000Z', data: { guid: card.guid } });
    expect(done).toMatchObject({ status: 'done', attempts: 1, data: { guid: card.guid }, error: null });
    const err = new StationError('SECURITY_STATUS', 'Not authenticated.', { sw: '6982' }).toJSON();
    expect(store.jobs.updateStep(job.id, 'finish', { status: 'failed', error: err }).error).toEqual(err);
    expect(store.jobs.steps(job.id).find((s) => s.name === 'chuid')).toEqual(done);
    expect(store.jobs.updateStep(job.id, 'connect', { status: 'in_progress' }).status).toBe('in_progress');
  });

  it('updateStep: NOT_FOUND_RECORD for an unknown job or step, INVALID_INPUT for bad values or renames', () => {
    const { store, person, card } = setup();
    const job = store.jobs.create({ cardId: card.id, personId: person.id }, STEPS);
    expect(() => store.jobs.updateStep(job.id, 'nope', { status: 'done' })).toThrowError(expect.objectContaining({ code: 'NOT_FOUND_RECORD' }));
    expect(() => store.jobs.updateStep('00000000-0000-4000-8000-000000000000', 'connect', {})).toThrowError(expect.objectContaining({ code: 'NOT_FOUND_RECORD' }));
    expect(() => store.jobs.updateStep(job.id, 'connect', { status: 'skipped' as never })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.jobs.updateStep(job.id, 'connect', { attempts: -1 })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.jobs.updateStep(job.id, 'connect', { name: 'other' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.jobs.updateStep(job.id, 'connect', { startedAt: 'yesterday' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
