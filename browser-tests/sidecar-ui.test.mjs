// Unlatch BESIDE a real Unleash 8.2.0, behind the SHIPPED nginx configuration
// (deploy/nginx/unlatch-sidecar.conf, rendered by sidecar-nginx.mjs with only its two upstream
// addresses and its listen line set), with Unleash's own web UI, served by Unleash itself, driven
// in headless Chromium. Run under scripts/with-postgres.sh and scripts/with-unleash.sh (`make
// sidecar-test`), which start Unleash on a fresh database and export UNLEASH_TEST_*.
// This file starts: a fake mail relay (Unlatch's `json` mail provider posts to it), an SMTP sink on
// UNLEASH_TEST_SMTP_PORT (where Unleash sends its OWN mail), nginx, and Unlatch
// (UNLATCH_BIN, default target/debug/unlatch) with UNLEASH_DATABASE_URL on Unleash's database and
// UNLEASH_URL at nginx; it always stops them. Flows, all through nginx:
//   invite: the admin (admin/unleash4all) creates a user in Users -> Add new user with "send an
//     email" on; the welcome mail reaches the relay; its link sets a password; the user logs in;
//   the admin, from the Users list: a reset link (used in the UI), then a password set directly;
//   forgotten password: the mail, its link, the new password works and the old one does not;
//   change password on the profile page (the changing session lives on, another one ends);
//   "this wasn't me": the password-changed mail's link opens Unlatch's page through nginx, and its
//     button ends the sessions and the password at Unleash too;
//   log-out.
// After each log-in, the browser's cookie is sent straight to Unleash (UNLEASH_TEST_URL, past
// nginx) and must be a session of that very user there. The users of the other flows are made
// by Unleash itself (admin API, no mail), so their passwords are Unleash's bcrypt hashes. At the
// end: nginx's access log shows that Unlatch answered every password request the UI made, and
// Unleash's SMTP sink shows that Unleash sent no mail of its own.
// Screenshots: target/screenshots/sidecar-*.png; a failing step names every request the page made
// to /api, /auth and /logout with its status and leaves target/screenshots/sidecar-FAILED-<step>.png.
// Logs: target/sidecar-ui-unlatch.log (Unlatch), target/sidecar-nginx/ui-test/ (nginx).
//
// Debugging switch: SIDECAR_UI_ALL_TO_UNLEASH=1 renders the nginx file with BOTH upstreams at
// Unleash and starts no Unlatch, so that Unleash answers the password paths itself. The same flows
// must then pass against Unleash alone: it tells a broken step of the test or of the proxy from a
// difference of Unlatch's. Its mails are read from the SMTP sink instead of the relay, their links
// (Unleash's UNLEASH_URL is its own address) pointed at nginx, and the screenshots are named
// sidecar-unleash-only-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startRelay } from './mail-relay.mjs';
import { ROOT, freePort, startNginx } from './sidecar-nginx.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

const ALL_TO_UNLEASH = process.env.SIDECAR_UI_ALL_TO_UNLEASH === '1';
const BIN = path.resolve(ROOT, process.env.UNLATCH_BIN || 'target/debug/unlatch');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'target', 'screenshots');
const SHOT_PREFIX = ALL_TO_UNLEASH ? 'sidecar-unleash-only-' : 'sidecar-';
const UNLATCH_LOG = path.join(ROOT, 'target', 'sidecar-ui-unlatch.log');
const UNLEASH = process.env.UNLEASH_TEST_URL;
const ADMIN_TOKEN = process.env.UNLEASH_TEST_ADMIN_TOKEN;
const SMTP_PORT = Number(process.env.UNLEASH_TEST_SMTP_PORT);

let unlatch, unlatchAddress, nginx, base, browser, relay, sink;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

process.on('exit', () => { if (unlatch && unlatch.exitCode === null) unlatch.kill('SIGKILL'); });

before(async () => {
  for (const name of ['UNLEASH_TEST_URL', 'UNLEASH_TEST_DATABASE_URL', 'UNLEASH_TEST_ADMIN_TOKEN', 'UNLEASH_TEST_SMTP_PORT']) {
    assert.ok(process.env[name], `${name} is not set: run me under scripts/with-postgres.sh scripts/with-unleash.sh (make sidecar-test)`);
  }
  if (!ALL_TO_UNLEASH) assert.ok(fs.existsSync(BIN), `${BIN} is missing: run make sidecar-test (or cargo build --bin unlatch)`);
  fs.mkdirSync(SHOTS, { recursive: true });
  relay = await startRelay();
  sink = await startSmtpSink({ port: SMTP_PORT });
  const unleashAddress = new URL(UNLEASH).host;
  const unlatchPort = await freePort();
  unlatchAddress = ALL_TO_UNLEASH ? unleashAddress : `127.0.0.1:${unlatchPort}`;
  // nginx first: its address is Unlatch's UNLEASH_URL (the base of its mail links)
  nginx = await startNginx({ dir: path.join(ROOT, 'target', 'sidecar-nginx', 'ui-test'), unlatch: unlatchAddress, unleash: unleashAddress });
  base = nginx.url;
  if (!ALL_TO_UNLEASH) {
    const log = fs.openSync(UNLATCH_LOG, 'w');
    unlatch = spawn(BIN, ['serve'], {
      stdio: ['ignore', log, log],
      env: {
        PATH: process.env.PATH, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(unlatchPort), MANAGEMENT_HTTP_PORT: '0', UNLEASH_URL: base,
        UNLEASH_DATABASE_URL: process.env.UNLEASH_TEST_DATABASE_URL,
        // the secret Unleash signs its cookies with (with-unleash.sh leaves it unset: `super-secret`)
        ...(process.env.UNLEASH_SECRET ? { UNLEASH_SECRET: process.env.UNLEASH_SECRET } : {}),
        BCRYPT_COST: '4', PAGES: 'false', TRUSTED_PROXIES: '127.0.0.1',
        MAIL_PROVIDER: 'json', MAIL_RELAY_URL: `http://127.0.0.1:${relay.port}/emails`, MAIL_RETRY_BASE_MS: '50',
        PASSWORD_RESET_LIMIT_PER_MINUTE: '0', SIMPLE_LOGIN_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info',
      },
    });
    fs.closeSync(log);
    for (let i = 0; ; i++) {
      try { if ((await fetch(`http://${unlatchAddress}/health`)).ok) break; } catch { /* not yet */ }
      const tail = () => fs.readFileSync(UNLATCH_LOG, 'utf8').split('\n').slice(-20).join('\n');
      assert.ok(unlatch.exitCode === null, `unlatch exited (${unlatch.exitCode}) before it answered /health; ${UNLATCH_LOG}:\n${tail()}`);
      assert.ok(i < 300, `unlatch did not answer /health within 30 s; ${UNLATCH_LOG}:\n${tail()}`);
      await sleep(100);
    }
  }
  // Unleash through nginx
  assert.equal((await fetch(`${base}/health`)).status, 200, 'GET /health through nginx');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
});

after(async () => {
  if (browser) await browser.close();
  if (unlatch && unlatch.exitCode === null) {
    const exited = new Promise((r) => unlatch.once('exit', r));
    unlatch.kill('SIGTERM');
    await exited;
  }
  if (nginx) await nginx.stop();
  if (relay) await new Promise((r) => relay.server.close(r));
  if (sink) await new Promise((r) => sink.server.close(r));
});

// --- helpers ---------------------------------------------------------------------------------------

const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `${SHOT_PREFIX}${name}.png`) });

// Unleash's own admin API, straight to Unleash with the token with-unleash.sh made.
async function unleashApi(method, pathname, body) {
  const response = await fetch(`${UNLEASH}${pathname}`, {
    method,
    headers: { Authorization: ADMIN_TOKEN, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `Unleash: ${method} ${pathname}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// A user made by Unleash itself, with a password Unleash hashed (no mail).
async function unleashUserWithPassword(email, password) {
  const user = await unleashApi('POST', '/api/admin/user-admin', { email, name: email.split('@')[0], rootRole: 'Editor', sendEmail: false });
  await unleashApi('POST', `/api/admin/user-admin/${user.id}/change-password`, { password });
  return user;
}

// GET /api/admin/user straight at Unleash (past nginx) with an unleash-session cookie value.
async function unleashSession(cookie) {
  const response = await fetch(`${UNLEASH}/api/admin/user`, { headers: { Cookie: `unleash-session=${cookie}` } });
  return { status: response.status, body: response.status === 200 ? await response.json() : await response.text() };
}

// The browser context's unleash-session cookie, which must be a live Unleash session of `email`.
async function assertUnleashKnows(context, email) {
  const cookie = (await context.cookies()).find((c) => c.name === 'unleash-session');
  assert.ok(cookie, 'the browser has no unleash-session cookie');
  assert.equal(cookie.path, '/', 'the cookie\'s path');
  assert.equal(cookie.httpOnly, true, 'the cookie is not HttpOnly');
  const { status, body } = await unleashSession(cookie.value);
  assert.equal(status, 200, `Unleash itself refused the browser's session: ${status} ${JSON.stringify(body)}`);
  assert.equal(body.user.email, email, 'Unleash sees another user');
  return cookie.value;
}

// POST /auth/simple/login through nginx: the status and the session cookie's value.
async function logInHttp(username, password) {
  const response = await fetch(`${base}/auth/simple/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  const cookie = response.headers.getSetCookie().map((c) => c.match(/^unleash-session=([^;]*)/)?.[1]).find(Boolean);
  return { status: response.status, cookie };
}

// A desktop page that keeps every request it makes to /api, /auth and /logout with the answer's
// status, so that a failing step can say which answer the UI did not get on with.
async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20000);
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
// kept as target/screenshots/sidecar-FAILED-<step>.png.
async function step(what, { page, requests }, run) {
  try {
    return await run();
  } catch (error) {
    const file = path.join(SHOTS, `${SHOT_PREFIX}FAILED-${what.replace(/[^A-Za-z0-9]+/g, '-')}.png`);
    await page.screenshot({ path: file }).catch(() => {});
    error.message = `${what}: ${error.message}\nscreenshot: ${file}\nrequests the page made:\n  ${requests.join('\n  ')}`;
    throw error;
  }
}

const bodyText = (page) => page.locator('body').innerText();

// Logs in on Unleash's login page and checks that the UI got past it.
async function logIn({ page, requests }, username, password) {
  await step(`log in as ${username}`, { page, requests }, async () => {
    await page.goto(`${base}/login`);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.getByTestId('LOGIN_BUTTON').click();
    await page.waitForURL((url) => url.pathname !== '/login');
    assert.ok(requests.includes('POST /auth/simple/login -> 200'), 'the login was not answered 200');
  });
}

// Logs in, then checks the profile page shows this very user (its address, a root role) and that
// Unleash itself knows the session.
async function logInOk(session, email, password) {
  await logIn(session, email, password);
  await step(`the profile of ${email}`, session, async () => {
    await session.page.goto(`${base}/profile`);
    await session.page.getByText('Your root role').waitFor();
    await session.page.getByText(email, { exact: true }).first().waitFor();
    await assertUnleashKnows(session.context, email);
  });
}

// The mail to `address` whose text has a `/new-user` or `/reset-password` link: from the relay
// (Unlatch's mail) or, with SIDECAR_UI_ALL_TO_UNLEASH=1, from the SMTP sink (Unleash's). Returns the
// mail and its link, which must lead to nginx (Unleash's own links lead to Unleash: pointed at nginx).
async function mailWithLink(address, kind, since) {
  const mails = ALL_TO_UNLEASH ? sink.mails : relay.mails;
  const pattern = new RegExp(`https?://\\S+/${kind}\\?token=[^\\s"<>]+`);
  for (let i = 0; i < 300; i++) {
    const mail = mails.slice(since).find((m) => [m.to].flat().includes(address) && pattern.test(m.text));
    if (mail) {
      let link = mail.text.match(pattern)[0];
      if (ALL_TO_UNLEASH) {
        assert.ok(link.startsWith(`${UNLEASH}/`), link);
        link = base + link.slice(UNLEASH.length);
      }
      assert.ok(link.startsWith(`${base}/${kind}?token=`), `the link does not lead to nginx: ${link}`);
      return { mail, link };
    }
    await sleep(50);
  }
  throw new Error(`no mail to ${address} with a /${kind} link; mails: ${JSON.stringify(mails.map((m) => [m.to, m.subject]))}`);
}
const mailCount = () => (ALL_TO_UNLEASH ? sink.mails : relay.mails).length;

// Sets a new password on Unleash's /reset-password page (already open) and checks the success page.
async function resetOnPage(session, password) {
  const { page } = session;
  await step('set a new password on /reset-password', session, async () => {
    await page.getByText('Reset password', { exact: true }).first().waitFor();
    await page.getByPlaceholder('New password').fill(password);
    await page.waitForFunction(() => ![...document.querySelectorAll('button[type=submit]')].some((b) => b.disabled), null, { timeout: 10000 });
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL((url) => url.pathname === '/reset-password-success');
    await page.getByText('Your password has been reset').waitFor();
  });
}

const loginStatus = async (username, password) => (await logInHttp(username, password)).status;

// --- the flows ------------------------------------------------------------------------------------

test('invite: the admin adds a user in Unleash\'s UI with "send an email"; the welcome mail\'s link sets a password; the user logs in', async () => {
  const email = 'sidecar-invited@example.com';
  const password = 'Sc-Invite-9fQ!x2Lm';
  const admin = await open();
  await logIn(admin, 'admin', 'unleash4all');
  await step('admin: Unleash knows the session', admin, async () => {
    const cookie = (await admin.context.cookies()).find((c) => c.name === 'unleash-session');
    const { status, body } = await unleashSession(cookie?.value);
    assert.equal(status, 200);
    assert.equal(body.user.username, 'admin');
  });

  const since = mailCount();
  await step('Users -> Add new user', admin, async () => {
    await admin.page.goto(`${base}/admin/users`);
    await admin.page.getByRole('button', { name: 'Add new user' }).click();
    await admin.page.waitForURL((url) => url.pathname === '/admin/create-user');
    await admin.page.getByLabel('Full name').fill('Sidecar Invited');
    await admin.page.getByLabel('Email').fill(email);
    await admin.page.getByRole('combobox', { name: 'Role' }).click();
    await admin.page.getByRole('option', { name: /^Editor/ }).click();
    // offered because Unleash has mail configured (uiConfig.emailEnabled), on by default
    assert.equal(await admin.page.getByRole('switch').isChecked(), true, '"send an email" is off');
  });
  await shot(admin.page, 'invite-form');
  await step('create the user', admin, async () => {
    await admin.page.getByRole('button', { name: 'Create user' }).click();
    await admin.page.getByText('Team member added').waitFor();
    assert.match(await admin.page.getByRole('dialog').innerText(), /sent an email on your behalf/);
    assert.ok(admin.requests.includes('POST /api/admin/user-admin -> 201'), 'the create was not answered 201');
  });
  await shot(admin.page, 'invite-created');
  await step('Unleash lists the new user', admin, async () => {
    await admin.page.getByRole('button', { name: 'Close' }).click();
    await admin.page.waitForURL((url) => url.pathname === '/admin/users');
    await admin.page.getByText('Sidecar Invited').first().waitFor();
  });
  const listed = (await unleashApi('GET', '/api/admin/user-admin')).users.find((u) => u.email === email);
  assert.ok(listed, 'Unleash does not list the new user');
  assert.equal(listed.rootRole, 2, 'not an Editor in Unleash'); // Unleash's Editor root role

  const { link } = await mailWithLink(email, 'new-user', since);
  const invited = await open();
  await invited.page.goto(link);
  await step('set a password on /new-user', invited, async () => {
    await invited.page.getByText('has invited you to join Unleash').waitFor();
    // who invited: the admin's username, from GET /auth/reset/validate's `createdBy`
    assert.match(await bodyText(invited.page), /(^|\n)\s*admin\s+has invited you to join Unleash/);
    await invited.page.getByPlaceholder('Password', { exact: true }).fill(password);
    await invited.page.getByPlaceholder('Confirm password').fill(password);
    await invited.page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled, null, { timeout: 10000 });
    await invited.page.locator('button[type=submit]').click();
    await invited.page.waitForURL((url) => url.pathname === '/login');
    await invited.page.getByText('You successfully reset your password').waitFor();
  });
  await shot(invited.page, 'invite-password-set');
  await invited.context.close();

  const me = await open();
  await logInOk(me, email, password);
  await me.page.getByText('Editor', { exact: true }).first().waitFor();
  await shot(me.page, 'invite-logged-in');
  await step('the app after log-in', me, async () => {
    await me.page.goto(`${base}/`);
    await me.page.waitForURL((url) => url.pathname !== '/login');
    await me.page.waitForLoadState('networkidle');
    assert.doesNotMatch(new URL(me.page.url()).pathname, /^\/(login|signed-out)/);
  });
  await shot(me.page, 'invite-app');
  await me.context.close();
  await admin.context.close();
});

test('the admin, from the Users list: "Reset password" makes a link that works in the UI; "Change password" sets one', async () => {
  const email = 'sidecar-admin-reset@example.com';
  const user = await unleashUserWithPassword(email, 'Old-Passw0rd!sc');
  const admin = await open();
  const { page } = admin;
  await logIn(admin, 'admin', 'unleash4all');
  const actions = async (item) => {
    await page.goto(`${base}/admin/users`);
    await page.locator(`#user-${user.id}-actions`).click();
    await page.getByRole('menuitem', { name: item }).click();
  };

  const link = await step('Users -> the user\'s menu -> Reset password -> Generate Link', admin, async () => {
    await actions('Reset password');
    await page.getByRole('button', { name: 'Generate Link' }).click();
    await page.getByText('Reset password link created').waitFor();
    // the UI sends the user's address as `id` and shows `resetPasswordUrl` from the answer
    assert.ok(admin.requests.includes('POST /api/admin/user-admin/reset-password -> 200'));
    const dialog = page.getByRole('dialog').filter({ hasText: 'Reset password link created' });
    const shown = (await dialog.innerText()).match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
    assert.ok(shown, 'the dialog shows no link');
    if (ALL_TO_UNLEASH) return base + shown.slice(UNLEASH.length);
    assert.ok(shown.startsWith(`${base}/reset-password?token=`), `the link does not lead to nginx: ${shown}`);
    return shown;
  });
  await shot(page, 'admin-reset-link');
  await page.getByRole('button', { name: 'Close' }).click();

  const reset = await open();
  await reset.page.goto(link);
  await resetOnPage(reset, 'Admin-Reset-Passw0rd!sc5');
  assert.equal(await loginStatus(email, 'Old-Passw0rd!sc'), 401, 'the old password still works');
  await logInOk(reset, email, 'Admin-Reset-Passw0rd!sc5');
  await reset.context.close();

  await step('Users -> the user\'s menu -> Change password', admin, async () => {
    await actions('Change password');
    await page.getByText('Update password').waitFor();
    await page.getByLabel('New password').fill('Admin-Set-Passw0rd!sc6');
    await page.getByLabel('Confirm password').fill('Admin-Set-Passw0rd!sc6');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Password changed successfully').waitFor();
    assert.ok(admin.requests.includes(`POST /api/admin/user-admin/${user.id}/change-password -> 200`));
  });
  await shot(page, 'admin-change-password');
  assert.equal(await loginStatus(email, 'Admin-Reset-Passw0rd!sc5'), 401, 'the previous password still works');
  const fresh = await open();
  await logInOk(fresh, email, 'Admin-Set-Passw0rd!sc6');
  await fresh.context.close();
  await admin.context.close();
});

test('forgotten password: the mail\'s link sets a new password in Unleash\'s UI; it logs in, the old one does not', async () => {
  const email = 'sidecar-forgot@example.com';
  await unleashUserWithPassword(email, 'Old-Passw0rd!sc');
  assert.equal(await loginStatus(email, 'Old-Passw0rd!sc'), 200, 'the password Unleash set does not log in');
  const since = mailCount();
  const session = await open();
  const { page, requests } = session;
  await page.goto(`${base}/forgotten-password`);
  await step('ask for a link on /forgotten-password', session, async () => {
    await page.getByText('Forgot your password?').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByText('Email sent to').waitFor();
    assert.ok(requests.includes('POST /auth/reset/password-email -> 200'));
  });
  await shot(page, 'forgotten-password-sent');
  const { link } = await mailWithLink(email, 'reset-password', since);
  await page.goto(link);
  await resetOnPage(session, 'Forgot-Passw0rd!sc3');
  await shot(page, 'forgotten-password-reset');
  assert.equal(await loginStatus(email, 'Old-Passw0rd!sc'), 401, 'the old password still works');
  await logInOk(session, email, 'Forgot-Passw0rd!sc3');
  await shot(page, 'forgotten-password-logged-in');
  // the link is spent
  await step('the spent link', session, async () => {
    await page.goto(link);
    await page.getByText('Invalid token').waitFor();
  });
  await session.context.close();
});

test('change password on the profile page: the changing session lives on, another one ends; the new password logs in, the old one does not', async () => {
  const email = 'sidecar-change@example.com';
  await unleashUserWithPassword(email, 'Old-Passw0rd!sc');
  const other = await logInHttp(email, 'Old-Passw0rd!sc');
  assert.equal(other.status, 200);
  assert.equal((await unleashSession(other.cookie)).status, 200, 'Unleash refused the other session');

  const session = await open();
  const { page, requests } = session;
  await logInOk(session, email, 'Old-Passw0rd!sc');
  await step('profile -> the "Change password" tab', session, async () => {
    await page.goto(`${base}/profile`);
    await page.getByRole('button', { name: 'Change password', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/profile/change-password');
    await page.getByLabel('Old password').waitFor();
  });
  await step('change it', session, async () => {
    await page.getByLabel('Old password').fill('Old-Passw0rd!sc');
    await page.getByLabel('Password', { exact: true }).fill('Changed-Passw0rd!sc4');
    await page.getByLabel('Confirm password').fill('Changed-Passw0rd!sc4');
    await page.waitForFunction(() => ![...document.querySelectorAll('button[type=submit]')].some((b) => b.disabled), null, { timeout: 10000 });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Password changed').first().waitFor();
    assert.ok(requests.includes('POST /api/admin/user/change-password -> 200'));
  });
  await shot(page, 'change-password-done');
  await assertUnleashKnows(session.context, email);
  assert.equal((await unleashSession(other.cookie)).status, 401, 'the other session survived the change');
  assert.equal(await loginStatus(email, 'Old-Passw0rd!sc'), 401, 'the old password still works');
  await session.context.close();

  const fresh = await open();
  await logInOk(fresh, email, 'Changed-Passw0rd!sc4');
  await fresh.context.close();
});

test('log out from the UI: lands on /signed-out and Unleash no longer knows the session', async () => {
  const email = 'sidecar-logout@example.com';
  await unleashUserWithPassword(email, 'Logout-Passw0rd!sc');
  const session = await open();
  const { page, context, requests } = session;
  await logInOk(session, email, 'Logout-Passw0rd!sc');
  const cookie = await assertUnleashKnows(context, email);
  await step('sign out', session, async () => {
    await page.goto(`${base}/profile`);
    await page.getByText('Your root role').waitFor();
    // the menu under the user's avatar at the top right: "Log out" posts a form to /logout
    await page.locator('button[aria-haspopup="true"]').filter({ has: page.locator('.MuiAvatar-root') }).click();
    await page.getByText('Profile settings').waitFor();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/signed-out');
    await page.getByText('You are signed out of Unleash').waitFor();
    assert.ok(requests.includes('POST /logout -> 302'), 'the form post to /logout was not answered 302');
  });
  await shot(page, 'signed-out');
  assert.equal((await unleashSession(cookie)).status, 401, 'Unleash still knows the session');
  assert.equal((await context.cookies()).find((c) => c.name === 'unleash-session'), undefined, 'the browser kept the cookie');
  await context.close();
});

// "This wasn't me" through nginx: the password-changed mail's link opens Unlatch's page (Unleash's
// UI has none), whose button ends every session of the account at Unleash too and removes the
// password, which Unleash's own log-in then refuses as well. Unleash alone has no such link.
test('"this wasn\'t me": the password-changed mail\'s link, through nginx, ends the sessions and the password on both sides', { skip: ALL_TO_UNLEASH }, async () => {
  const email = 'sidecar-not-me@example.com';
  await unleashUserWithPassword(email, 'Stolen-Passw0rd!sc');
  const since = mailCount();
  // The attacker logs in and changes the password (through nginx: Unlatch answers the change).
  const attacker = await logInHttp(email, 'Stolen-Passw0rd!sc');
  assert.equal(attacker.status, 200);
  const change = await fetch(`${base}/api/admin/user/change-password`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: `unleash-session=${attacker.cookie}` },
    body: JSON.stringify({ password: 'Attacker-Passw0rd!sc', confirmPassword: 'Attacker-Passw0rd!sc', oldPassword: 'Stolen-Passw0rd!sc' }),
  });
  assert.equal(change.status, 200);
  const second = (await logInHttp(email, 'Attacker-Passw0rd!sc')).cookie;
  const { link } = await mailWithLink(email, 'not-me', since);

  const session = await open();
  const { page } = session;
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await step('open the "this wasn\'t me" link', session, async () => {
    await page.goto(link);
    await page.locator('#not-me-intro').waitFor();
    assert.equal(page.url(), `${base}/not-me`);
  });
  await shot(page, 'not-me');
  assert.equal((await unleashSession(attacker.cookie)).status, 200, 'opening the page ended a session');
  await step('secure the account', session, async () => {
    await page.getByRole('button', { name: "This wasn't me: secure my account" }).click();
    await page.locator('#not-me-done').waitFor();
  });
  await shot(page, 'not-me-done');
  assert.deepEqual(problems, []);
  for (const cookie of [attacker.cookie, second]) {
    assert.equal((await unleashSession(cookie)).status, 401, 'Unleash still knows a session');
  }
  const atUnleashItself = await fetch(`${UNLEASH}/auth/simple/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: email, password: 'Attacker-Passw0rd!sc' }),
  });
  assert.equal(atUnleashItself.status, 401, 'Unleash\'s own log-in took the attacker\'s password');
  assert.equal(await loginStatus(email, 'Attacker-Passw0rd!sc'), 401);
  // The reset mail reaches the owner.
  await mailWithLink(email, 'reset-password', since);
  const upstreams = nginx.accessEntries().filter((l) => l.path === '/not-me' || l.path === '/assets/unlatch.js');
  assert.ok(upstreams.length >= 2, JSON.stringify(upstreams));
  for (const line of upstreams) assert.equal(line.upstream, unlatchAddress, `${line.path} went to ${line.upstream}`);
  await session.context.close();
});

// Who answered what: every password request the UI made above went to the Unlatch upstream, the
// rest to Unleash, and Unleash sent no mail (both mails came from Unlatch).
test('nginx sent the UI\'s password requests to Unlatch and the rest to Unleash; Unleash sent no mail', async () => {
  const unleashAddress = new URL(UNLEASH).host;
  const lines = nginx.accessEntries();
  const expect = (method, pathname, upstream) => {
    const seen = lines.filter((l) => l.method === method && l.path === pathname);
    assert.ok(seen.length > 0, `the UI made no ${method} ${pathname}`);
    for (const line of seen) assert.equal(line.upstream, upstream, `${method} ${pathname} (${line.status}) was answered by ${line.upstream}`);
  };
  for (const [method, pathname] of [
    ['POST', '/auth/simple/login'],
    ['POST', '/api/admin/user-admin'],
    ['POST', '/api/admin/user-admin/reset-password'],
    ['GET', '/auth/reset/validate'],
    ['POST', '/auth/reset/validate-password'],
    ['POST', '/auth/reset/password'],
    ['POST', '/auth/reset/password-email'],
    ['POST', '/api/admin/user/change-password'],
    ['POST', '/logout'],
  ]) expect(method, pathname, unlatchAddress);
  for (const [method, pathname] of [
    ['GET', '/api/admin/user-admin'],
    ['GET', '/api/admin/user'],
    ['GET', '/api/admin/ui-config'],
    ['GET', '/login'],
    ['GET', '/new-user'],
    ['GET', '/reset-password'],
  ]) expect(method, pathname, unleashAddress);
  if (!ALL_TO_UNLEASH) {
    await sleep(500); // Unleash sends on the next tick of its own
    assert.deepEqual(sink.mails.map((m) => [m.to, m.subject]), [], 'Unleash sent mail of its own');
  }
});
