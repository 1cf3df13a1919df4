// Unleash's OWN web UI (frontend/build of the pinned unleash-server npm package, installed by
// `make browser-test` into .tools/) served by unleash-ui-server.mjs with `/api`, `/auth` and `/logout`
// passed to a real Unlatch, driven in headless Chromium. Screenshots: target/screenshots/unleash-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startUiServer } from './unleash-ui-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.resolve(ROOT, process.env.UNLATCH_BIN || 'target/debug/unlatch');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BUILD = path.resolve(ROOT, process.env.UNLEASH_UI_BUILD || '.tools/unleash-server-8.2.0/node_modules/unleash-server/frontend/build');
const SHOTS = path.join(ROOT, 'target', 'screenshots');
const SERVER_LOG = path.join(ROOT, 'target', 'unleash-ui-test-server.log');
const ADMIN_TOKEN = '*:*.unleash-ui-test-admin';
const GOOD = 'DtUYwi&l5I1KX4@Le';
const LONG = 'Aa1!' + 'xy'.repeat(38); // 80 bytes: fine for Unleash's rules, over bcrypt's 72

let unlatch, ui, base, browser, workDir;

const freePort = () => new Promise((resolve, reject) => {
  const probe = net.createServer();
  probe.once('error', reject);
  probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
});

process.on('exit', () => { if (unlatch && unlatch.exitCode === null) unlatch.kill('SIGKILL'); });

before(async () => {
  assert.ok(fs.existsSync(path.join(BUILD, 'index.html')), `${BUILD} is missing: run make browser-test`);
  fs.mkdirSync(SHOTS, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unlatch-unleash-ui-'));
  const port = await freePort();
  ui = await startUiServer({ buildDir: BUILD, upstream: `http://127.0.0.1:${port}` });
  base = `http://127.0.0.1:${ui.address().port}`;
  const log = fs.openSync(SERVER_LOG, 'w');
  unlatch = spawn(BIN, ['serve'], {
    cwd: workDir,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), UNLEASH_URL: base,
      DATABASE_URL: `sqlite://${path.join(workDir, 'unlatch.db')}`, BCRYPT_COST: '4',
      INIT_ADMIN_API_TOKENS: ADMIN_TOKEN, UNLEASH_DEFAULT_ADMIN_PASSWORD: 'Adm1n-Passw0rd!',
      PASSWORD_RESET_LIMIT_PER_MINUTE: '0', SIMPLE_LOGIN_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info',
    },
  });
  fs.closeSync(log);
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* not yet */ }
    assert.ok(i < 300 && unlatch.exitCode === null, `unlatch did not start; see ${SERVER_LOG}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
});

after(async () => {
  if (browser) await browser.close();
  if (unlatch && unlatch.exitCode === null) {
    const exited = new Promise((r) => unlatch.once('exit', r));
    unlatch.kill('SIGTERM');
    await exited;
  }
  if (ui) await new Promise((r) => ui.close(r));
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

async function createUser(email, rootRole) {
  const response = await fetch(`${base}/api/admin/user-admin`, {
    method: 'POST',
    headers: { Authorization: ADMIN_TOKEN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, name: email.split('@')[0], rootRole }),
  });
  assert.equal(response.status, 201);
  return response.json();
}

async function setPassword(page, password) {
  await page.getByPlaceholder('Password', { exact: true }).fill(password);
  await page.getByPlaceholder('Confirm password').fill(password);
}

async function logIn(page, username, password) {
  await page.goto(`${base}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByTestId('LOGIN_BUTTON').click();
}

test("invite: a password over 72 bytes is refused with its reason shown; a good one works; the link is then spent; log-in; the profile's root role", async () => {
  const user = await createUser('invited@example.com', 'Editor');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(user.inviteLink);
  await page.getByText('has invited you to join Unleash').waitFor();
  // who invited: `admin`, as Unleash names an admin API token
  assert.match(await page.locator('body').innerText(), /(^|\n)\s*admin\s+has invited you to join Unleash/);

  await setPassword(page, LONG);
  const submit = page.locator('button[type=submit]');
  await assert.doesNotReject(submit.waitFor({ state: 'visible' }));
  await page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled, null, { timeout: 10000 });
  await submit.click();
  await page.getByText('The password must be at most 72 bytes long.').waitFor({ timeout: 10000 });
  await page.screenshot({ path: path.join(SHOTS, 'unleash-invite-72-bytes.png') });

  await setPassword(page, GOOD);
  await page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled, null, { timeout: 10000 });
  await submit.click();
  await page.waitForURL((url) => !url.pathname.startsWith('/new-user'), { timeout: 15000 });
  await page.screenshot({ path: path.join(SHOTS, 'unleash-invite-done.png') });

  // the spent link
  const spent = await context.newPage();
  await spent.goto(user.inviteLink);
  await spent.getByText('Invalid token').waitFor({ timeout: 15000 });
  await spent.getByText('Your token has either been used').waitFor();
  await spent.screenshot({ path: path.join(SHOTS, 'unleash-invite-spent.png') });

  // log-in and the profile page
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const me = await fresh.newPage();
  await logIn(me, 'invited@example.com', GOOD);
  await me.waitForURL((url) => url.pathname !== '/login', { timeout: 15000 });
  await me.goto(`${base}/profile`);
  await me.getByText('Your root role').waitFor({ timeout: 15000 });
  await me.getByText('Editor', { exact: true }).first().waitFor(); // from GET /api/admin/user/profile
  await me.screenshot({ path: path.join(SHOTS, 'unleash-profile.png') });
  await fresh.close();
  await context.close();
});
