/**
 * What an officer does on the station's screens, in terms of the shared UI
 * spec's data-testids (/tmp/ui-spec.md): find or register a person, choose
 * profile, reader and PIN, produce, watch the job, retry, cancel.
 *
 * Every wait is on UI state (a locator becoming visible, an attribute taking a
 * value), never a fixed sleep; timeouts are generous because key generation
 * and vpcd are slow (~40 ms per APDU).
 */
import type { Locator, Page } from 'playwright-core';

/** How long a whole production may take on vpcd (a few seconds normally; CI machines are slower). */
export const PRODUCTION_TIMEOUT_MS = 180_000;
/** How long a screen change (navigation, a list refresh, a reader event) may take. */
export const UI_TIMEOUT_MS = 30_000;
/** Poll interval for state that has no event we can wait on. */
const POLL_MS = 100;

/** A person as the registration form takes it. */
export interface PersonForm {
  givenName: string;
  surname: string;
  email: string;
  employeeId: string;
  affiliation: 'employee' | 'contractor' | 'visitor';
}

/** The state of one step row of the production screen. */
export interface StepRowState {
  step: string;
  state: string;
  label: string;
}

/** How a job ended on the production screen. */
export type JobOutcome = { kind: 'done' } | { kind: 'failed'; reason: string } | { kind: 'cancelled'; text: string };

/** The readers panel row of `readerName`. */
export function readerRow(page: Page, readerName: string): Locator {
  return page.locator(`[data-testid="reader-row"][data-reader="${readerName}"]`);
}

/** Polls `probe` until it returns a value other than undefined. @throws Error with `what` after `timeoutMs` */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = UI_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      // A locator may detach while React re-renders: try again.
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Waits until the reader row shows a card kind text matching `kind`; returns the row's text. */
export async function waitForReaderKind(page: Page, readerName: string, kind: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
  const row = readerRow(page, readerName);
  let last = '(no row)';
  try {
    return await until(`reader "${readerName}" to show ${kind}`, async () => {
      if ((await row.count()) === 0) return undefined;
      last = (await row.textContent()) ?? '';
      const text = (await row.getByTestId('reader-card-kind').textContent()) ?? '';
      return kind.test(text) ? text : undefined;
    }, timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; the row shows: ${last}`);
  }
}

/** Opens the issue flow: "Produce a card", then "Without a request" where the officer may also produce requests. */
export async function goToIssue(page: Page): Promise<void> {
  await page.getByTestId('nav-produce').click();
  await page.getByTestId('produce-card-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const direct = page.getByTestId('produce-way-direct');
  if ((await direct.count()) > 0) await direct.click();
  await page.getByTestId('issue-flow').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** Selects an option of a native select by value, or by the option whose text contains `valueOrText`. */
async function selectOptionLike(select: Locator, valueOrText: string): Promise<void> {
  const value = await until(`an option "${valueOrText}"`, async () => {
    const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as unknown as { value: string }).value, text: o.textContent ?? '' })));
    return (options.find((o) => o.value === valueOrText) ?? options.find((o) => o.text.includes(valueOrText)))?.value;
  });
  await select.selectOption(value);
}

/**
 * Chooses a value of a control the spec calls "radio/select": a native select,
 * or a group of radios (matched by value or by their label's text).
 */
async function chooseIn(control: Locator, value: string): Promise<void> {
  await control.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const tag = await control.first().evaluate((el) => el.tagName);
  if (tag === 'SELECT') return selectOptionLike(control.first(), value);
  if (tag === 'INPUT') {
    // The test id sits on each radio.
    const radio = control.and(control.page().locator(`[value="${value}"]`));
    return (await radio.count()) > 0 ? radio.check() : control.page().getByRole('radio', { name: new RegExp(value, 'i') }).check();
  }
  const radio = control.locator(`input[type="radio"][value="${value}"]`);
  if ((await radio.count()) > 0) return radio.check();
  return control.getByRole('radio', { name: new RegExp(value, 'i') }).check();
}

/** Registers a person with the form (register-person … person-save) and waits until the flow moves on to the profile. */
export async function registerPerson(page: Page, p: PersonForm): Promise<void> {
  await page.getByTestId('register-person').click();
  await page.getByTestId('person-given-name').fill(p.givenName);
  await page.getByTestId('person-surname').fill(p.surname);
  await page.getByTestId('person-email').fill(p.email);
  await page.getByTestId('person-employee-id').fill(p.employeeId);
  await chooseIn(page.getByTestId('person-affiliation'), p.affiliation);
  await page.getByTestId('person-save').click();
  await page.getByTestId('profile-select').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/**
 * Types `query` key by key into the person search (search as you type) and
 * clicks the result whose text contains `expectText`.
 * @returns the texts of all results shown
 */
export async function searchAndSelectPerson(page: Page, query: string, expectText: string): Promise<string[]> {
  const search = page.getByTestId('person-search');
  await search.fill('');
  await search.pressSequentially(query, { delay: 30 });
  const result = page.getByTestId('person-result').filter({ hasText: expectText });
  await result.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const texts = await page.getByTestId('person-result').allTextContents();
  await result.first().click();
  await page.getByTestId('profile-select').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return texts;
}

/** Chooses the card profile (employee, contractor, visitor). */
export function chooseProfile(page: Page, profile: PersonForm['affiliation']): Promise<void> {
  return chooseIn(page.getByTestId('profile-select'), profile);
}

/** Chooses the reader in reader-select. */
export async function chooseReader(page: Page, readerName: string): Promise<void> {
  await selectOptionLike(page.getByTestId('reader-select'), readerName);
}

/** Chooses "typed PIN" and types it twice (key by key, as on a PIN pad). */
export async function typePin(page: Page, pin: string, confirm = pin): Promise<void> {
  const mode = page.getByTestId('pin-mode-typed');
  const tag = await mode.evaluate((el) => `${el.tagName}:${(el as unknown as { type?: string }).type ?? ''}`);
  if (tag.startsWith('INPUT:radio') || tag.startsWith('INPUT:checkbox')) await mode.check();
  else await mode.click();
  await page.getByTestId('pin-input').fill('');
  await page.getByTestId('pin-input').pressSequentially(pin);
  await page.getByTestId('pin-confirm').fill('');
  await page.getByTestId('pin-confirm').pressSequentially(confirm);
}

/** Waits for Produce to be enabled, clicks it and returns the job id of the production screen it opens. */
export async function produce(page: Page): Promise<string> {
  const button = page.getByTestId('produce-button');
  await until('the Produce button to be enabled', async () => ((await button.isEnabled()) ? true : undefined));
  await button.click();
  return productionJobId(page);
}

/** Waits for the production screen and returns its data-job-id. */
export async function productionJobId(page: Page, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
  const screen = page.getByTestId('production-screen');
  return until('the production screen with a job id', async () => ((await screen.count()) === 1 ? ((await screen.getAttribute('data-job-id')) ?? undefined) || undefined : undefined), timeoutMs);
}

/** The state of every step row, in screen order. */
export function stepStates(page: Page): Promise<StepRowState[]> {
  return page.getByTestId('step-row').evaluateAll((rows) =>
    rows.map((r) => ({ step: r.getAttribute('data-step') ?? '', state: r.getAttribute('data-state') ?? '', label: (r.textContent ?? '').trim() })),
  );
}

/** Waits until the production screen shows the result, failure or cancelled panel. */
export async function waitForOutcome(page: Page, timeoutMs = PRODUCTION_TIMEOUT_MS): Promise<JobOutcome> {
  return until('the job to finish, fail or be cancelled', async (): Promise<JobOutcome | undefined> => {
    if (await page.getByTestId('result-panel').isVisible()) return { kind: 'done' };
    if (await page.getByTestId('failure-panel').isVisible()) return { kind: 'failed', reason: (await page.getByTestId('failure-reason').textContent()) ?? '' };
    if (await page.getByTestId('cancelled-panel').isVisible()) return { kind: 'cancelled', text: (await page.getByTestId('cancelled-panel').textContent()) ?? '' };
    return undefined;
  }, timeoutMs);
}

/** Progress bar values (aria-valuenow, aria-valuemax). */
export async function progress(page: Page): Promise<{ now: number; max: number; text: string }> {
  const bar = page.getByTestId('progress-bar');
  return {
    now: Number(await bar.getAttribute('aria-valuenow')),
    max: Number(await bar.getAttribute('aria-valuemax')),
    text: (await page.getByTestId('progress-text').textContent()) ?? '',
  };
}

/** Opens the queue, shows all jobs and returns the row of `jobId`. */
export async function queueRow(page: Page, jobId: string, filter: 'all' | 'failed' | 'running' | 'done' = 'all'): Promise<Locator> {
  await page.getByTestId('nav-queue').click();
  await page.getByTestId('queue-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page.getByTestId(`filter-${filter}`).click();
  const row = page.locator(`[data-testid="queue-row"][data-job-id="${jobId}"]`);
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return row;
}

/** Waits until the queue row of `jobId` has data-status `status`. */
export async function waitForQueueStatus(page: Page, jobId: string, status: string): Promise<void> {
  const row = page.locator(`[data-testid="queue-row"][data-job-id="${jobId}"]`);
  await until(`queue row ${jobId} to be ${status}`, async () => ((await row.getAttribute('data-status')) === status ? true : undefined));
}

/** Opens the production screen of `jobId` from the queue. */
export async function openJobFromQueue(page: Page, jobId: string): Promise<void> {
  const row = await queueRow(page, jobId);
  await row.click();
  await page.locator(`[data-testid="production-screen"][data-job-id="${jobId}"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/**
 * Retries the failed job shown: types the PIN when the screen asks for it
 * (retry-pin-input, shown up front or after pressing Retry) and presses Retry,
 * then waits until the job has left the failed state.
 * @returns whether the PIN was asked for
 */
export async function retryJob(page: Page, pin: string): Promise<boolean> {
  const failure = page.getByTestId('failure-panel');
  const pinInput = page.getByTestId('retry-pin-input');
  const retry = page.getByTestId('retry-button');
  let asked = await pinInput.isVisible();
  if (asked) await pinInput.pressSequentially(pin);
  await retry.click();
  if (!asked) {
    // Either the PIN is asked for now, or the job leaves the failed state.
    asked = await until('the retry to ask for the PIN or start', async () => {
      if (await pinInput.isVisible()) return true;
      if (!(await failure.isVisible())) return false;
      return undefined;
    });
    if (asked) {
      await pinInput.pressSequentially(pin);
      await retry.click();
    }
  }
  try {
    await until('the retry to start', async () => ((await failure.isVisible()) ? undefined : true));
  } catch (e) {
    throw new Error(`${(e as Error).message}; the failure panel says: ${await failure.textContent().catch(() => '?')}`);
  }
  return asked;
}

/**
 * On the result screen: waits for the one-time secrets, presses "I have
 * recorded the PUK" and waits until they are gone (the screen may be left
 * only then; issue 12 obs. 5). @returns the PUK shown
 */
export async function confirmSecretsRecorded(page: Page): Promise<string> {
  await page.getByTestId('puk-warning').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const puk = ((await page.getByTestId('puk-value').textContent()) ?? '').trim();
  await page.getByTestId('secrets-recorded').click();
  await page.getByTestId('puk-warning').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  return puk;
}

/**
 * On the Mass production screen: chooses the given requests and the one reader,
 * starts the batch and waits for its panel. @returns the new batch's panel
 */
export async function startBatchOnReader(page: Page, requestIds: readonly string[], readerName: string): Promise<Locator> {
  await page.getByTestId('nav-batches').click();
  await page.getByTestId('batches-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  for (const id of requestIds) {
    const choice = page.locator(`[data-testid="batch-request"][data-request-id="${id}"]`);
    await choice.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await choice.check();
  }
  await page.getByTestId('batch-readers-chosen').check();
  await page.locator(`[data-testid="batch-reader"][data-reader="${readerName}"]`).check();
  await page.getByTestId('batch-start').click();
  const panel = page.getByTestId('batch-panel').first();
  await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return panel;
}

/** The item of `requestId` in the newest batch panel of the Mass production screen. */
export function batchItem(page: Page, requestId: string): Locator {
  return page.getByTestId('batch-panel').first().locator(`[data-testid="batch-item"][data-request-id="${requestId}"]`);
}

/** Waits until the batch item of `requestId` is in one of `states` (its data-state) and returns that state. */
export async function batchItemState(page: Page, requestId: string, states: readonly string[], timeoutMs = UI_TIMEOUT_MS): Promise<string> {
  return until(`batch item ${requestId} to be ${states.join(' or ')}`, async () => {
    const state = (await batchItem(page, requestId).getAttribute('data-state')) ?? '';
    return states.includes(state) ? state : undefined;
  }, timeoutMs);
}

/** The reader prompts of the newest batch, as shown ("Remove card … and insert a blank card."). */
export function batchPrompts(page: Page): Promise<string[]> {
  return page.getByTestId('batch-panel').first().getByTestId('batch-prompt').allTextContents();
}

/**
 * Pauses the batch of `panel`, waits until it says paused, runs `swap` (the
 * officer takes a card out, puts one in: a batch left running would meet the
 * card while the harness still reads its serial) and resumes it.
 */
export async function whileBatchPaused(panel: Locator, swap: () => Promise<void>): Promise<void> {
  await panel.getByTestId('batch-pause').click();
  await until('the batch to be paused', async () => ((await panel.getAttribute('data-status')) === 'paused' ? true : undefined));
  await swap();
  await panel.getByTestId('batch-resume').click();
}

/** Cancels the waiting batch item of `requestId` with `reason` and waits until it is cancelled. */
export async function cancelBatchItem(page: Page, requestId: string, reason: string): Promise<void> {
  await batchItem(page, requestId).getByTestId('batch-item-cancel').click();
  await page.getByTestId('batch-cancel-reason').fill(reason);
  await page.getByTestId('batch-cancel-confirm').click();
  await batchItemState(page, requestId, ['cancelled']);
}

/** The data-testid of the focused element, else its id, else its tag name ('H2', 'BODY'). */
export function focusedElement(page: Page): Promise<string> {
  return page.evaluate("(() => { const a = document.activeElement; return a ? (a.getAttribute('data-testid') || a.id || a.tagName) : 'none'; })()") as Promise<string>;
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until `matches` says the focused element is the one
 * (issue 12 "Keyboard": the officer's way without a mouse).
 * @throws Error when it is not reached in `max` presses
 */
export async function tabUntil(page: Page, what: string, matches: () => Promise<boolean>, options: { backwards?: boolean; max?: number } = {}): Promise<void> {
  for (let i = 0; i < (options.max ?? 80); i++) {
    if (await matches()) return;
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${what} was not reached by the keyboard (focus on ${await focusedElement(page)})`);
}

