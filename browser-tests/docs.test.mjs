// The API docs page, /docs/openapi/ (Swagger UI built into the binary), in a real headless
// Chromium: it shows this service's contract from /docs/openapi.json, "Try it out" calls the
// service itself, and the page keeps the pages' Content-Security-Policy: no violation is
// reported and no request leaves the service's origin. Starts the real `target/debug/unlatch`
// on a free port with a temporary database, and always stops it. Screenshot:
// target/screenshots/docs-openapi-top.png and docs-openapi.png (after Try it out).
//
// Run with `make browser-test` (which builds the binary and installs Chromium and the npm deps).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.resolve(ROOT, process.env.UNLATCH_BIN || 'target/debug/unlatch');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'target', 'screenshots');
const SERVER_LOG = path.join(ROOT, 'target', 'browser-test-docs-server.log');

let unlatch;
let base;
let browser;
let workDir;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

process.on('exit', () => {
  if (unlatch && unlatch.exitCode === null && unlatch.signalCode === null) {
    unlatch.kill('SIGKILL');
  }
});

before(async () => {
  assert.ok(fs.existsSync(BIN), `${BIN} is missing: run cargo build --bin unlatch first`);
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run make browser-deps first`);
  fs.mkdirSync(SHOTS, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unlatch-docs-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(SERVER_LOG, 'w');
  unlatch = spawn(BIN, ['serve'], {
    cwd: workDir,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      MANAGEMENT_HTTP_PORT: '0',
      UNLEASH_URL: base,
      DATABASE_URL: `sqlite://${path.join(workDir, 'unlatch.db')}`,
      BCRYPT_COST: '4',
      UNLEASH_DEFAULT_ADMIN_PASSWORD: 'Adm1n-Passw0rd!',
      LOG_LEVEL: 'info'
    }
  });
  fs.closeSync(log);
  const deadline = Date.now() + 20000;
  for (;;) {
    assert.equal(unlatch.exitCode, null, `unlatch exited; see ${SERVER_LOG}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    assert.ok(Date.now() < deadline, `unlatch did not answer /health; see ${SERVER_LOG}`);
    await sleep(50);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
});

after(async () => {
  try {
    if (browser) await browser.close();
  } finally {
    if (unlatch && unlatch.exitCode === null) {
      await new Promise((resolve) => {
        const force = setTimeout(() => unlatch.kill('SIGKILL'), 10000);
        unlatch.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        unlatch.kill('SIGTERM');
      });
    }
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  }
});

test('/docs/openapi/ shows the contract in Swagger UI within the pages\' CSP, and Try it out calls this service', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every violation of the page's policy, as the browser reports it to the page.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const requests = [];
  const failures = [];
  const errors = [];
  page.on('request', (request) => requests.push(request.url()));
  const refused = [];
  page.on('response', (r) => {
    if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (request) => failures.push(`${request.url()} ${request.failure()?.errorText}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));

  // Unleash's address without the slash leads to the page.
  const response = await page.goto(`${base}/docs/openapi`);
  assert.equal(new URL(page.url()).pathname, '/docs/openapi/');
  assert.equal(response.status(), 200);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /img-src 'self'/);
  assert.doesNotMatch(csp, /unsafe|data:/);

  // The contract's title and version, and every operation of openapi.yaml.
  const spec = await (await fetch(`${base}/docs/openapi.json`)).json();
  await page.locator('.swagger-ui .info .title').waitFor({ timeout: 20000 });
  const title = await page.locator('.swagger-ui .info .title').innerText();
  assert.match(title, new RegExp(`^${spec.info.title}`));
  assert.ok(title.includes(spec.info.version), title);
  await page.screenshot({ path: path.join(SHOTS, 'docs-openapi-top.png') });
  const methods = ['get', 'put', 'post', 'delete', 'patch'];
  const ids = Object.values(spec.paths).flatMap((item) =>
    methods.filter((m) => item[m]).map((m) => item[m].operationId));
  assert.ok(ids.length > 10 && ids.includes('getOpenApiJson'), ids.join(', '));
  for (const id of ids) {
    assert.equal(await page.locator(`[id$="-${id}"]`).count(), 1, `operation ${id} is listed`);
  }

  // Try it out: GET /health/ready from the page, answered by this very service.
  const block = page.locator('[id$="-getHealthReady"]');
  await block.locator('.opblock-summary').click();
  await block.getByRole('button', { name: 'Try it out' }).click();
  await block.getByRole('button', { name: 'Execute' }).click();
  const status = block.locator('.live-responses-table tr.response .response-col_status').first();
  await status.waitFor({ timeout: 10000 });
  assert.equal((await status.innerText()).trim(), '200');
  assert.match(await block.locator('.live-responses-table').innerText(), /"outbox": "running"/);
  await page.screenshot({ path: path.join(SHOTS, 'docs-openapi.png'), fullPage: false });

  // The images of Swagger UI's stylesheet load from the service (a collapsed section's arrow).
  const loaded = requests.filter((url) => url.includes('/docs/openapi/img/'));
  assert.ok(loaded.length > 0, `no image of the stylesheet was loaded: ${requests.join(', ')}`);

  const violations = await page.evaluate(() => window.__violations);
  assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
  const elsewhere = requests.filter((url) => !url.startsWith(`${base}/`));
  assert.deepEqual(elsewhere, [], 'nothing is requested from another origin');
  assert.deepEqual(failures, [], 'every request succeeded');
  assert.deepEqual(refused, [], 'every request was answered');
  assert.deepEqual(errors, [], 'no error in the console');
  await context.close();
});
