// Shared helpers of the browser end-to-end tests (node --test, playwright-core, Debian's Chromium).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// The launcher exports RANKOPS_HOST and RANKOPS_API_PORT, so a stack on other ports is the one tested.
export const BASE_URL = (process.env.RANKOPS_E2E_BASE_URL
  || `http://${process.env.RANKOPS_HOST || '127.0.0.1'}:${process.env.RANKOPS_API_PORT || '8080'}`).replace(/\/+$/, '');
export const PASSWORD = process.env.RANKOPS_DEMO_PASSWORD || 'rankops-demo';
export const CHROMIUM = process.env.RANKOPS_E2E_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');
/** The repository root (web-ui/e2e/../..). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOST = process.env.RANKOPS_HOST || '127.0.0.1';
export const RANKER_URL = `http://${HOST}:${process.env.RANKOPS_RANKER_PORT || '8082'}`;
export const MLFLOW_URL = `http://${HOST}:${process.env.RANKOPS_MLFLOW_PORT || '5500'}`;
const RANKER_ADMIN = {
  user: process.env.RANKOPS_RANKER_ADMIN_USER || 'rankops-worker',
  password: process.env.RANKOPS_RANKER_ADMIN_PASSWORD || 'rankops-local-ranker-admin',
};

/** How long a run may take to reach AWAITING_APPROVAL (training on the demo window takes seconds). */
export const APPROVAL_WAIT_MS = Number(process.env.RANKOPS_E2E_APPROVAL_WAIT_MS || 8 * 60_000);

/**
 * A quick run on the demo window (events exist for 2026-11-01..2026-11-07). The gate is opened
 * wide so the run reaches the approval wait whatever champion other runs have registered.
 */
export const DEMO_RUN = {
  modelFamily: 'resflow',
  regionMask: true,
  window: { start: '2026-11-01', end: '2026-11-07' },
  params: { epochs: 3, batchSize: 64, learningRate: 0.002, embeddingDim: 12, patience: 2, seed: 7 },
  gate: { k: 10, minWeightedRecall: 0.05, maxRegression: 1 },
  device: 'auto',
  approvalTimeoutHours: 72,
  trigger: 'api',
};

/** Rejects a run left waiting by a test, so the approvals inbox stays tidy (best effort). */
export async function cleanUp(id) {
  if (id) await api('rita', 'POST', `/api/runs/${id}/decision`, { approved: false, comment: 'e2e cleanup' }).catch(() => {});
}

/** Calls the API directly with HTTP Basic (scripts' way in), returning {status, body}. */
export async function api(user, method, path, body) {
  return httpJson(`${BASE_URL}${path}`, { method, body, auth: { user, password: PASSWORD } });
}

/**
 * Any JSON call to the stack, returning {status, body} (the body parsed when it is JSON, else its
 * text). `auth` is {user, password} for HTTP Basic.
 */
export async function httpJson(url, { method = 'GET', body, auth, timeoutMs = 30_000 } = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      Accept: 'application/json',
      ...(auth ? { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

/** The ranker's admin API (HTTP Basic as the worker: RANKOPS_RANKER_ADMIN_USER / _PASSWORD). */
export function rankerAdmin(method, path, body) {
  return httpJson(`${RANKER_URL}${path}`, { method, body, auth: RANKER_ADMIN });
}

/** The ranker's open serving API (POST /v1/rank, /v1/feedback, GET /v1/arms/metrics). */
export function ranker(method, path, body) {
  return httpJson(`${RANKER_URL}${path}`, { method, body });
}

/** MLflow refuses anonymous calls: the suites' own account (RANKOPS_MLFLOW_TEST_USER / _PASSWORD). */
const MLFLOW_TEST_ACCOUNT = { user: process.env.RANKOPS_MLFLOW_TEST_USER, password: process.env.RANKOPS_MLFLOW_TEST_PASSWORD };

/** MLflow's REST API, e.g. mlflow('DELETE', 'registered-models/delete', {name}). */
export function mlflow(method, path, body) {
  if (!MLFLOW_TEST_ACCOUNT.user || !MLFLOW_TEST_ACCOUNT.password) {
    throw new Error('RANKOPS_MLFLOW_TEST_USER / _PASSWORD are not set: export infra/local/rankops.env');
  }
  return httpJson(`${MLFLOW_URL}/api/2.0/mlflow/${path}`, { method, body, auth: MLFLOW_TEST_ACCOUNT });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` (bounded) until it answers {done: true, value}; every answer's `seen` is kept for
 * the failure message, which says what `what` is and the last state seen. A probe that throws
 * ends the wait at once (a state the wait can no longer leave).
 */
export async function waitUntil(what, probe, { timeoutMs = 60_000, intervalMs = 2000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let seen;
  for (;;) {
    const answer = await probe();
    seen = answer?.seen;
    if (answer?.done) return answer.value;
    if (Date.now() + intervalMs > deadline) break;
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s; last seen: ${JSON.stringify(seen)}`);
}

/** Waits (bounded) until the run's status is one of `statuses`; fails early when it closes otherwise. */
export async function awaitRunStatus(user, id, statuses, timeoutMs) {
  const wanted = new Set(statuses);
  return waitUntil(
    `run ${id} reaching ${statuses.join(' or ')}`,
    async () => {
      const detail = await api(user, 'GET', `/api/runs/${id}`);
      const run = detail.body?.run;
      const seen = run ? { status: run.status, currentStep: run.currentStep, reason: run.reason } : detail;
      if (run && wanted.has(run.status)) return { done: true, value: run, seen };
      if (run && !['RUNNING', 'AWAITING_APPROVAL'].includes(run.status)) {
        throw new Error(`run ${id} closed as ${run.status} (wanted ${statuses.join(' or ')}): ${run.reason}`);
      }
      return { done: false, seen };
    },
    { timeoutMs, intervalMs: 3000 },
  );
}

/**
 * Simulated buyers against the ranker (services/trainer rankops_world.simulate_traffic, the
 * launcher's virtual environment), inheriting RANKOPS_*. stop() ends it; `exited` tells whether it
 * ended by itself, `output()` its last lines.
 */
export function startSimulator({ seconds = 600, rate = 40 } = {}) {
  const python = process.env.RANKOPS_E2E_PYTHON || join(ROOT, '.rankops', 'venv', 'bin', 'python');
  const child = spawn(python, ['-m', 'rankops_world.simulate_traffic', '--seconds', String(seconds), '--rate', String(rate)], {
    cwd: join(ROOT, 'services', 'trainer'),
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const handle = {
    startedAt: Date.now(),
    exited: false,
    exitCode: null,
    output: () => tail,
    async stop() {
      if (handle.exited) return;
      const ended = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([ended, sleep(5000)]);
      if (!handle.exited) child.kill('SIGKILL');
    },
  };
  child.on('exit', (code, signal) => {
    handle.exited = true;
    handle.exitCode = code ?? signal;
  });
  child.on('error', (err) => {
    handle.exited = true;
    handle.exitCode = String(err);
    keep(String(err));
  });
  return handle;
}

/** Starts a demo run as `user` through the API; returns its id. `extra` adds fields (e.g. a rollout). */
export async function startRun(user, extra = {}) {
  const started = await api(user, 'POST', '/api/runs', { ...DEMO_RUN, ...extra });
  if (started.status !== 201) throw new Error(`POST /api/runs as ${user}: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.id;
}

/** Waits (bounded) until the run awaits approval; fails if it closes otherwise. */
export async function awaitApproval(user, id) {
  const deadline = Date.now() + APPROVAL_WAIT_MS;
  let last = null;
  while (Date.now() < deadline) {
    const detail = await api(user, 'GET', `/api/runs/${id}`);
    last = detail.body?.run;
    if (last?.status === 'AWAITING_APPROVAL') return id;
    if (last && last.status !== 'RUNNING') {
      throw new Error(`run ${id} closed as ${last.status} before awaiting approval: ${last.reason}`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`run ${id} did not await approval within ${APPROVAL_WAIT_MS / 1000} s (last: ${JSON.stringify(last)})`);
}

/**
 * A fresh Chromium with its own temporary profile (so its own cookie jar); close() removes both.
 * Page errors and failed API calls are collected so tests can assert the console stayed clean.
 */
export async function openBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'rankops-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  // console.error lines (an error boundary logs "<part> failed to display" there).
  const consoleErrors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  return {
    page,
    pageErrors,
    consoleErrors,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true }).catch(() => {});
    },
  };
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the login form and waits for the signed-in nav. */
export async function signIn(page, user, { shot } = {}) {
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('heading', { name: 'Sign in to rankops' }).waitFor();
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(PASSWORD);
  if (shot) await screenshot(page, shot);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function navLabels(page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
}

/**
 * The page is not blank and no error boundary shows (".panel-error", or an alert saying some part
 * "failed to display"); `where` names the moment for the failure message.
 */
export async function assertPageHealthy(page, where) {
  const appText = (await page.locator('#root').innerText().catch(() => '')).trim();
  if (!appText) throw new Error(`${where}: the page is blank (#root has no text) at ${page.url()}`);
  const mainText = (await page.locator('#main').innerText().catch(() => '')).trim();
  if (!mainText) throw new Error(`${where}: #main has no text at ${page.url()}`);
  const boundaries = await page.locator('.panel-error').allInnerTexts();
  const alerts = (await page.getByRole('alert').allInnerTexts()).filter((t) => /failed to display/i.test(t));
  if (boundaries.length || alerts.length) {
    throw new Error(`${where}: an error boundary shows at ${page.url()}: ${JSON.stringify([...boundaries, ...alerts])}`);
  }
}
