// Unleash's OWN web UI (frontend/build of the pinned unleash-server npm package, installed by
// `make browser-test` into .tools/) served by unleash-ui-server.mjs with `/api`, `/auth` and `/logout`
// passed to a real Unlatch, driven in headless Chromium. Screenshots: target/screenshots/unleash-*.png.
// Flows: invite (a password over 72 bytes, then a good one, the spent link), reset through an
// admin-made link, forgotten password (the mail caught by a fake relay of our own), change password
// on the profile page, log-out. A failing step names every request the page made to /api, /auth and
// /logout with its status, and leaves target/screenshots/unleash-FAILED-<step>.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startRelay } from './mail-relay.mjs';
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

let unlatch, ui, base, browser, workDir, relay;

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
  relay = await startRelay();
  const port = await freePort();
  ui = await startUiServer({ buildDir: BUILD, upstream: `http://127.0.0.1:${port}` });
  base = `http://127.0.0.1:${ui.address().port}`;
  const log = fs.openSync(SERVER_LOG, 'w');
  unlatch = spawn(BIN, ['serve'], {
    cwd: workDir,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), MANAGEMENT_HTTP_PORT: '0', UNLEASH_URL: base,
      DATABASE_URL: `sqlite://${path.join(workDir, 'unlatch.db')}`, BCRYPT_COST: '4',
      INIT_ADMIN_API_TOKENS: ADMIN_TOKEN, UNLEASH_DEFAULT_ADMIN_PASSWORD: 'Adm1n-Passw0rd!',
      MAIL_PROVIDER: 'json', MAIL_RELAY_URL: `http://127.0.0.1:${relay.port}/emails`, MAIL_RETRY_BASE_MS: '50',
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
  if (relay) await new Promise((r) => relay.server.close(r));
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

// --- helpers for the flows below -----------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function adminApi(method, pathname, body) {
  const response = await fetch(`${base}${pathname}`, {
    method,
    headers: { Authorization: ADMIN_TOKEN, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${pathname}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// A user with a password, made through the admin API (no mail).
async function userWithPassword(email, password) {
  const user = await adminApi('POST', '/api/admin/user-admin', { email, name: email.split('@')[0], rootRole: 'Editor', sendEmail: false });
  await adminApi('POST', `/api/admin/user-admin/${user.id}/change-password`, { password });
  return user;
}

// A desktop page that keeps every request it makes to /api, /auth and /logout with the answer's
// status, so that a failing step can say which of Unlatch's answers the UI did not get on with.
async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const requests = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin === base && /^\/(api|auth|logout)(\/|$)/.test(url.pathname)) {
      requests.push(`${response.request().method()} ${url.pathname} -> ${response.status()}`);
    }
  });
  page.on('requestfailed', (request) => request.url().startsWith(`${base}/`) && requests.push(`${request.method()} ${new URL(request.url()).pathname} -> failed: ${request.failure()?.errorText}`));
  return { page, context, requests };
}

// Runs one step; if it throws, the error names the requests the page made so far and the page is
// kept as target/screenshots/unleash-FAILED-<step>.png.
async function step(what, { page, requests }, run) {
  try {
    return await run();
  } catch (error) {
    const shot = path.join(SHOTS, `unleash-FAILED-${what.replace(/[^A-Za-z0-9]+/g, '-')}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    error.message = `${what}: ${error.message}\nscreenshot: ${shot}\nrequests the page made:\n  ${requests.join('\n  ')}`;
    throw error;
  }
}

const bodyText = (page) => page.locator('body').innerText();

// Logs in through Unleash's login page, checks that the UI got past it, and that the profile page
// then shows this very user (its address under the name, and a root role).
async function logInOk(page, requests, email, password) {
  await step(`log in as ${email}`, { page, requests }, async () => {
    await logIn(page, email, password);
    await page.waitForURL((url) => url.pathname !== '/login', { timeout: 15000 });
    assert.ok(requests.includes('POST /auth/simple/login -> 200'), 'the login was not answered 200');
    await page.goto(`${base}/profile`);
    await page.getByText('Your root role').waitFor();
    await page.getByText(email, { exact: true }).first().waitFor();
  });
}

async function loginStatus(username, password) {
  const response = await fetch(`${base}/auth/simple/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  return response.status;
}

// Sets a new password on Unleash's /reset-password page (already open) and checks the success page.
async function resetOnPage(page, requests, password) {
  await step('set a new password on /reset-password', { page, requests }, async () => {
    await page.getByText('Reset password', { exact: true }).first().waitFor();
    await page.getByPlaceholder('New password').fill(password);
    const submit = page.getByRole('button', { name: 'Set new password' });
    await page.waitForFunction(() => ![...document.querySelectorAll('button[type=submit]')].some((b) => b.disabled), null, { timeout: 10000 });
    await submit.click();
    await page.waitForURL((url) => url.pathname === '/reset-password-success');
    await page.getByText('Your password has been reset').waitFor();
  });
}

// --- the flows ------------------------------------------------------------------------------------

test('reset through an admin-made link: set a new password in the UI, log in with it', async () => {
  await userWithPassword('reset@example.com', 'Old-Passw0rd!');
  const { resetPasswordUrl } = await adminApi('POST', '/api/admin/user-admin/reset-password', { id: 'reset@example.com' });
  assert.match(resetPasswordUrl, new RegExp(`^${base}/reset-password\\?token=[A-Za-z0-9_-]{43}$`));
  const { page, context, requests } = await open();
  await page.goto(resetPasswordUrl);
  await resetOnPage(page, requests, 'Reset-Passw0rd!2');
  assert.match(await bodyText(page), /Try to sign in again/);
  await page.screenshot({ path: path.join(SHOTS, 'unleash-reset-admin-link.png') });
  assert.equal(await loginStatus('reset@example.com', 'Old-Passw0rd!'), 401, 'the old password still works');

  await step('the success page leads to the login page', { page, requests }, async () => {
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
  });
  await logInOk(page, requests, 'reset@example.com', 'Reset-Passw0rd!2');
  await page.screenshot({ path: path.join(SHOTS, 'unleash-reset-admin-link-logged-in.png') });

  // the link is spent
  await page.goto(resetPasswordUrl);
  await page.getByText('Invalid token').waitFor();
  await context.close();
});

test('forgotten password: the mail reaches the relay, its link works in the UI, log in', async () => {
  await userWithPassword('forgot@example.com', 'Old-Passw0rd!');
  const before = relay.mails.length;
  const { page, context, requests } = await open();
  await page.goto(`${base}/forgotten-password`);
  await step('ask for a link on /forgotten-password', { page, requests }, async () => {
    await page.getByText('Forgot your password?').waitFor();
    await page.getByLabel('Email').fill('forgot@example.com');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByText('Email sent to').waitFor();
    assert.match(await bodyText(page), /Email sent to\s+forgot@example\.com/);
    assert.ok(requests.includes('POST /auth/reset/password-email -> 200'));
  });
  await page.screenshot({ path: path.join(SHOTS, 'unleash-forgotten-password-sent.png') });

  const mail = await step('the reset mail at the relay', { page, requests }, async () => {
    for (let i = 0; i < 200; i++) {
      const found = relay.mails.slice(before).find((m) => m.subject === 'Unleash - Reset your password');
      if (found) return found;
      await sleep(50);
    }
    throw new Error(`no reset mail; the relay has: ${JSON.stringify(relay.mails.map((m) => m.subject))}`);
  });
  assert.deepEqual(mail.to, ['forgot@example.com']);
  const link = mail.text.match(/https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/)?.[0];
  assert.ok(link, `no link in ${mail.text}`);
  assert.ok(link.startsWith(`${base}/reset-password?token=`), link);

  await page.goto(link);
  await resetOnPage(page, requests, 'Forgot-Passw0rd!3');
  await page.screenshot({ path: path.join(SHOTS, 'unleash-forgotten-password-reset.png') });
  await logInOk(page, requests, 'forgot@example.com', 'Forgot-Passw0rd!3');
  await page.screenshot({ path: path.join(SHOTS, 'unleash-forgotten-password-logged-in.png') });
  assert.equal(await loginStatus('forgot@example.com', 'Old-Passw0rd!'), 401, 'the old password still works');
  await context.close();
});

test('change password on the profile page: a wrong old password is refused (Unleash\'s UI says "Authentication required"); the right one works; log in with the new one', async () => {
  await userWithPassword('change@example.com', 'Old-Passw0rd!');
  const { page, context, requests } = await open();
  await logInOk(page, requests, 'change@example.com', 'Old-Passw0rd!');
  await page.goto(`${base}/profile`);
  await step('profile -> the "Change password" tab', { page, requests }, async () => {
    await page.getByRole('button', { name: 'Change password', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/profile/change-password');
    await page.getByLabel('Old password').waitFor();
  });

  // Each attempt types a new password, and waits for the page's check of it: the page checks a
  // password only when its text changes, and it can drop a check it had under way, so typing the
  // same text again can leave the form holding an unfinished check, and its Save does nothing.
  const fill = async (old, password) => {
    await page.getByLabel('Old password').fill(old);
    const checked = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/reset/validate-password'
      && r.request().postDataJSON()?.password === password && r.status() === 200, { timeout: 10000 });
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    await checked;
    await page.waitForFunction(() => ![...document.querySelectorAll('button[type=submit]')].some((b) => b.disabled), null, { timeout: 10000 });
  };
  // Unlatch answers as Unleash 8.2.0 does: 401 PasswordMismatch with the reason in the body. Unleash's
  // UI turns every 401 into its own AuthenticationError and shows "Authentication required" under
  // "Old password" (it never reads the body of a 401), so that is what a person sees, with real Unleash too.
  await step('a wrong old password', { page, requests }, async () => {
    await fill('Wrong-Passw0rd!', 'Changed-Passw0rd!4');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/user/change-password'),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);
    assert.equal(answer.status(), 401);
    // the same call from this session, to read what Unlatch said (reading the body of the page's
    // own response from Playwright does not return here)
    const again = await context.request.post(`${base}/api/admin/user/change-password`, {
      data: { password: 'Changed-Passw0rd!4', confirmPassword: 'Changed-Passw0rd!4', oldPassword: 'Wrong-Passw0rd!' },
    });
    assert.equal(again.status(), 401);
    const body = await again.json();
    assert.equal(body.name, 'PasswordMismatch');
    assert.match(body.message, /^The old password you provided is invalid\./);
    const oldField = page.locator('.MuiFormControl-root').filter({ has: page.getByLabel('Old password') });
    await oldField.locator('.MuiFormHelperText-root').filter({ hasText: 'Authentication required' }).waitFor();
    assert.equal(await oldField.locator('label').getAttribute('class').then((c) => /Mui-error/.test(c)), true, 'the field is not marked as wrong');
    assert.doesNotMatch(await bodyText(page), /Password changed/);
    // still logged in, still on the page
    assert.equal(new URL(page.url()).pathname, '/profile/change-password');
    assert.equal((await context.request.get(`${base}/api/admin/user`)).status(), 200);
  });
  await page.screenshot({ path: path.join(SHOTS, 'unleash-change-password-wrong-old.png') });

  await step('the right old password', { page, requests }, async () => {
    await fill('Old-Passw0rd!', 'Changed-Passw0rd!5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Password changed').first().waitFor();
    assert.ok(requests.includes('POST /api/admin/user/change-password -> 200'));
  });
  await page.screenshot({ path: path.join(SHOTS, 'unleash-change-password-done.png') });
  await context.close();

  assert.equal(await loginStatus('change@example.com', 'Old-Passw0rd!'), 401, 'the old password still works');
  const fresh = await open();
  await logInOk(fresh.page, fresh.requests, 'change@example.com', 'Changed-Passw0rd!5');
  await fresh.context.close();
});

test('log out from the UI: lands on /signed-out and the session is gone', async () => {
  await userWithPassword('logout@example.com', 'Logout-Passw0rd!');
  const { page, context, requests } = await open();
  await logInOk(page, requests, 'logout@example.com', 'Logout-Passw0rd!');
  const cookie = (await context.cookies()).find((c) => c.name === 'unleash-session');
  assert.ok(cookie, 'no unleash-session cookie after log-in');
  const asUser = () => fetch(`${base}/api/admin/user`, { headers: { Cookie: `unleash-session=${cookie.value}` } });
  assert.equal((await asUser()).status, 200);

  await page.goto(`${base}/profile`);
  await step('sign out', { page, requests }, async () => {
    await page.getByText('Your root role').waitFor();
    // the menu under the user's avatar at the top right: "Log out" posts a form to /logout
    await page.locator('button[aria-haspopup="true"]').filter({ has: page.locator('.MuiAvatar-root') }).click();
    await page.getByText('Profile settings').waitFor();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/signed-out');
    await page.getByText('You are signed out of Unleash').waitFor();
    assert.ok(requests.includes('POST /logout -> 302'), 'the form post to /logout was not answered 302');
  });
  await page.screenshot({ path: path.join(SHOTS, 'unleash-signed-out.png') });
  assert.equal((await asUser()).status, 401, 'the old session cookie still works');
  assert.equal((await context.cookies()).find((c) => c.name === 'unleash-session'), undefined, 'the browser kept the cookie');
  await context.close();
});
