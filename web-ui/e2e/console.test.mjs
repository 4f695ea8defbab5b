// The console in a real browser against the running stack (RANKOPS_E2E_BASE_URL, default RANKOPS_HOST:RANKOPS_API_PORT).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  APPROVAL_WAIT_MS,
  BASE_URL,
  api,
  awaitApproval,
  cleanUp,
  navLabels,
  openBrowser,
  screenshot,
  signIn,
  startRun,
} from './support.mjs';

// The runs the approval tests need are started first, so they train while the engineer's tests run.
let erinRun;
let adaRun;
let canaryRun;
// An hour-long bake: the canary holds its first step (5 %) until the test ends it.
const HELD_CANARY = { rollout: { bakeSeconds: 3600 } };
before(async () => {
  erinRun = await startRun('erin');
  adaRun = await startRun('ada');
  canaryRun = await startRun('erin', HELD_CANARY);
});

const TERMINAL_OR_WAITING = /awaiting approval|approved|rejected|gate failed|failed|cancelled|approval expired/i;

describe('ml engineer (erin)', () => {
  let browser;
  let uiRun;
  before(async () => {
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await cleanUp(uiRun);
  });

  it('signs in, sees only the pages of the role and cannot approve', async () => {
    const { page } = browser;
    await signIn(page, 'erin', { shot: '01-login' });
    const labels = await navLabels(page);
    assert.deepEqual(labels, ['Status', 'Runs', 'New run', 'Models', 'Schedules']);
    assert.ok(!labels.includes('Approvals'));
    await page.getByRole('heading', { level: 1, name: 'Platform status' }).waitFor();
    await screenshot(page, '02-status');

    // The approvals address is refused by the UI, and the API refuses a decision with the role message.
    await page.goto(`${BASE_URL}/#/approvals`);
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    // Sent as the web UI sends it (with the CSRF header), and once without: a forged request.
    const decide = (headers) =>
      page.evaluate(async (extra) => {
        const response = await fetch('/api/runs/run-000000000000/decision', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...extra },
          body: JSON.stringify({ approved: true, comment: 'e2e: must be refused' }),
        });
        return { status: response.status, body: await response.json() };
      }, headers);
    const refused = await decide({ 'X-Rankops-Csrf': '1' });
    assert.equal(refused.status, 403);
    assert.match(refused.body.detail, /roles do not allow|four-eyes/);
    const forged = await decide({});
    assert.equal(forged.status, 403);
    assert.match(forged.body.detail, /X-Rankops-Csrf/);
  });

  it('gets the API validation message beside the field', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New run' }).click();
    await page.getByRole('heading', { level: 1, name: 'New run' }).waitFor();
    await screenshot(page, '03-new-run-form');
    const end = page.getByLabel('Window end');
    await end.fill('2026-11-02');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByText('The run was not started').waitFor();
    assert.equal(await end.getAttribute('aria-invalid'), 'true');
    const describedBy = await end.getAttribute('aria-describedby');
    const message = await page.locator(`#${describedBy.split(' ')[0]}`).textContent();
    assert.match(message, /the window spans 2 days; at least 3 are needed/);
    await screenshot(page, '04-new-run-validation');
    await page.getByRole('button', { name: 'Reset to defaults' }).click();
  });

  it('triggers a run from the New run form and follows its progress', async () => {
    const { page, pageErrors } = browser;
    await page.getByLabel('Window end').waitFor();
    assert.equal(await page.getByLabel('Window start').inputValue(), '2026-11-01');
    assert.equal(await page.getByLabel('Window end').inputValue(), '2026-11-07');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/#\/runs\/run-[0-9a-f]+$/);
    const id = decodeURIComponent(page.url().split('#/runs/')[1]);
    uiRun = id;

    await page.getByRole('list', { name: 'Pipeline steps' }).waitFor();
    const steps = await page.getByRole('list', { name: 'Pipeline steps' }).getByRole('listitem').count();
    // extract, train, evaluate, gate, register, await approval, canary rollout, done
    assert.equal(steps, 8);
    await page.getByRole('progressbar', { name: 'Run progress' }).waitFor();
    await screenshot(page, '05-run-detail-live');

    const row = await api('erin', 'GET', `/api/runs/${id}`);
    assert.equal(row.status, 200);
    assert.equal(row.body.run.trigger, 'ui');
    assert.equal(row.body.run.triggeredBy, 'erin');

    // The demo window trains in seconds; the page follows the stream to the approval wait (or an end).
    await page.locator('h1 .pill').filter({ hasText: TERMINAL_OR_WAITING }).waitFor({ timeout: APPROVAL_WAIT_MS });
    await page.getByRole('heading', { name: 'Gate verdict' }).waitFor({ timeout: 30_000 });
    const now = await page.getByRole('progressbar', { name: 'Run progress' }).getAttribute('aria-valuenow');
    // Waiting for approval is step 6 of 8 (5/7 of the bar); an ended run shows 100.
    assert.ok(Number(now) >= 70, `progress ${now} %`);
    await screenshot(page, '06-run-detail-done');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('link', { name: id }).waitFor();
    await screenshot(page, '07-runs');
    assert.deepEqual(pageErrors, []);
  });
});

describe('release manager (rita)', () => {
  let browser;
  let runId;
  before(async () => {
    runId = await awaitApproval('erin', erinRun);
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await cleanUp(erinRun); // only if the test failed before approving
  });

  it('sees the Approvals page and approves a run that awaits approval', async () => {
    const { page, pageErrors } = browser;
    await signIn(page, 'rita');
    assert.deepEqual(await navLabels(page), ['Status', 'Runs', 'Approvals', 'Models', 'Schedules']);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
    const card = page.getByRole('article', { name: new RegExp(runId) });
    await card.waitFor();
    await card.getByRole('table', { name: /Evaluation/ }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, '08-approvals');

    await card.getByLabel(/Comment/).fill('e2e: offline scores look fine');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(`Approved run ${runId}`).waitFor();

    let status = null;
    for (let i = 0; i < 30 && status !== 'APPROVED'; i++) {
      status = (await api('rita', 'GET', `/api/runs/${runId}`)).body.run.status;
      if (status !== 'APPROVED') await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(status, 'APPROVED');

    await page.goto(`${BASE_URL}/#/runs/${runId}`);
    await page.locator('h1 .pill').filter({ hasText: /approved/i }).waitFor();
    await page.getByRole('heading', { name: 'Evaluation' }).waitFor();
    await screenshot(page, '09-run-detail-approved');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
    await page.getByRole('link', { name: runId }).waitFor();
    await screenshot(page, '10-models');

    // Schedules: listed when the API has them, otherwise the page says so.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Schedules' }).waitFor();
    await page.locator('table, .empty, .error').first().waitFor();
    await screenshot(page, '11-schedules');
    assert.deepEqual(pageErrors, []);
  });
});

describe('admin (ada) and the four-eyes rule', () => {
  let browser;
  let runId;
  before(async () => {
    runId = await awaitApproval('ada', adaRun);
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await cleanUp(adaRun); // another person rejects it: the inbox stays tidy
  });

  it('shows the self-approval refusal as a clear message', async () => {
    const { page } = browser;
    await signIn(page, 'ada');
    await page.goto(`${BASE_URL}/#/approvals`);
    const card = page.getByRole('article', { name: new RegExp(runId) });
    await card.getByText(/You triggered this run/).waitFor();
    await card.getByRole('button', { name: 'Approve' }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /four-eyes rule/);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, '12-approvals-four-eyes');
  });
});

describe('release manager (rita) and the canary rollout', () => {
  let browser;
  before(async () => {
    await awaitApproval('erin', canaryRun);
    const approved = await api('rita', 'POST', `/api/runs/${canaryRun}/decision`, { approved: true, comment: 'e2e canary' });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    // Ends the hour-long bake if the test failed before aborting it.
    await api('rita', 'POST', `/api/runs/${canaryRun}/rollout/abort`, { reason: 'e2e cleanup' }).catch(() => {});
  });

  it('shows the traffic split on the run page and aborts the rollout from it', async () => {
    const { page, pageErrors } = browser;
    await signIn(page, 'rita');
    await page.goto(`${BASE_URL}/#/runs/${canaryRun}`);
    const panel = page.getByRole('region', { name: 'Canary rollout' });
    await panel.getByText(/candidate traffic/).waitFor({ timeout: 60_000 });
    await panel.getByText('5 %', { exact: true }).waitFor({ timeout: 60_000 });
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, '13-rollout-traffic');

    await panel.getByLabel(/Reason/).fill('e2e: stop the canary');
    await panel.getByRole('button', { name: 'Abort' }).click();
    await panel.getByText(/aborted/).waitFor({ timeout: 30_000 });

    let status = null;
    for (let i = 0; i < 30 && status !== 'ROLLED_BACK'; i++) {
      status = (await api('rita', 'GET', `/api/runs/${canaryRun}`)).body.run.status;
      if (status !== 'ROLLED_BACK') await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(status, 'ROLLED_BACK');
    await screenshot(page, '14-rollout-aborted');
    assert.deepEqual(pageErrors, []);
  });
});
