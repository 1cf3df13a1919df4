// Unlatch driven only through the TypeScript client generated from openapi.yaml by `make sdk`
// (typescript-fetch, sdk/typescript), compiled with the pinned TypeScript and run with `node --test`
// against a real `unlatch serve` started here on a free port with a temporary database (always stopped).
//
// Every request goes through the generated API classes and models. Errors are the generated
// `ResponseError`, whose body is read with the generated `ErrorSchemaFromJSON`. The generated client
// has no support for an `apiKey` scheme `in: cookie`: in a browser the cookie travels by itself
// (`credentials: 'include'`); here the session is passed as a `Cookie` header through the generated
// `Configuration`'s `headers`. The last test checks that every operationId of openapi.yaml was sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AuthApi,
  Configuration,
  ErrorSchemaFromJSON,
  OperationalApi,
  ResponseError,
  UsersApi,
  type ErrorSchema,
  type Middleware,
} from '../../sdk/typescript/src/index';

const ROOT = path.resolve(__dirname, '../../../..'); // target/sdk-test-ts/sdk-tests/typescript -> repo
const ADMIN_USERNAME = 'admin';
const ADMIN_PASSWORD = 'Ts-sdk-tests-Adm1n-P4ss!';
const ADMIN_TOKEN = '*:*.ts-sdk-admin-token';
const STRONG = 'DtUYwi&l5I1KX4@Le';
const TOKEN = '[A-Za-z0-9_-]{43}';
const HUNTER2_FAILS = [
  'The password must be at least 10 characters long.',
  'The password must contain at least one uppercase letter.',
  'The password must contain at least one special character.',
];

// --- which operations were sent -----------------------------------------------------------------

type Spec = { paths: Record<string, Record<string, { operationId?: string }>> };
const spec: Spec = JSON.parse(readFileSync(path.resolve(ROOT, process.env.OPENAPI_JSON ?? 'target/sdk-test-ts/openapi.json'), 'utf8'));
const OPERATIONS: { method: string; pattern: RegExp; id: string }[] = [];
for (const [template, item] of Object.entries(spec.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    if (operation && typeof operation === 'object' && operation.operationId) {
      const pattern = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$');
      OPERATIONS.push({ method: method.toUpperCase(), pattern, id: operation.operationId });
    }
  }
}
const CALLED = new Set<string>();
// A middleware (the generated client's own extension point) notes the operation of each request;
// it changes nothing in what is sent or received.
const record: Middleware = {
  async pre({ url, init }) {
    const { pathname } = new URL(url);
    const method = (init.method ?? 'GET').toUpperCase();
    const found = OPERATIONS.find((o) => o.method === method && o.pattern.test(pathname));
    assert.ok(found, `the client sent ${method} ${pathname}, which is not in openapi.yaml`);
    CALLED.add(found.id);
  },
};

// --- the server -----------------------------------------------------------------------------------

let baseUrl = '';
let server: ChildProcess | undefined;
let workdir = '';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

before(async () => {
  workdir = mkdtempSync(path.join(tmpdir(), 'unlatch-ts-sdk-test-'));
  const logPath = path.resolve(ROOT, process.env.UNLATCH_SERVER_LOG ?? path.join(workdir, 'server.log'));
  writeFileSync(logPath, '');
  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  const log = openSync(logPath, 'a');
  server = spawn(path.resolve(ROOT, process.env.UNLATCH_BIN ?? 'target/debug/unlatch'), ['serve'], {
    cwd: workdir,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: `sqlite://${workdir}/unlatch.db`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      MANAGEMENT_HTTP_PORT: '0',
      UNLEASH_URL: baseUrl,
      BCRYPT_COST: '4',
      INIT_ADMIN_API_TOKENS: ADMIN_TOKEN,
      UNLEASH_DEFAULT_ADMIN_USERNAME: ADMIN_USERNAME,
      UNLEASH_DEFAULT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SIMPLE_LOGIN_LIMIT_PER_MINUTE: '1000',
      PASSWORD_RESET_LIMIT_PER_MINUTE: '1000',
      CREATE_USER_RATE_LIMIT_PER_MINUTE: '1000',
    },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    assert.equal(server.exitCode, null, `unlatch exited early; its log is ${logPath}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).status === 200) break; // plain fetch: not the SDK's getHealth
    } catch {
      /* not listening yet */
    }
    assert.ok(Date.now() < deadline, `unlatch did not become healthy; its log is ${logPath}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(workdir, { recursive: true, force: true });
});

// --- clients ------------------------------------------------------------------------------------

function config(opts: { session?: string; apiKey?: string; bearer?: string } = {}): Configuration {
  return new Configuration({
    basePath: baseUrl,
    middleware: [record],
    apiKey: opts.apiKey,
    accessToken: opts.bearer,
    headers: opts.session ? { Cookie: `unleash-session=${opts.session}` } : undefined,
  });
}
const auth = () => new AuthApi(config());
const asAdmin = () => new UsersApi(config({ apiKey: ADMIN_TOKEN }));

function sessionOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('unleash-session='));
  assert.ok(cookie, 'no unleash-session cookie was set');
  return cookie.split(';')[0].slice('unleash-session='.length);
}

async function login(username: string, password: string): Promise<string> {
  const response = await auth().loginRaw({ loginSchema: { username, password } });
  assert.equal(response.raw.status, 200);
  return sessionOf(response.raw);
}

/** The error a call raised: a generated ResponseError with the status, its body an ErrorSchema. */
async function failure(call: Promise<unknown>, status: number, name: string): Promise<ErrorSchema> {
  try {
    await call;
  } catch (e) {
    assert.ok(e instanceof ResponseError, `expected a ResponseError, got ${e}`);
    assert.equal(e.response.status, status);
    const error = ErrorSchemaFromJSON(await e.response.json());
    assert.equal(error.name, name);
    return error;
  }
  assert.fail(`expected HTTP ${status} ${name}, the call succeeded`);
}

function tokenOf(link: string | undefined, page: string): string {
  const match = new RegExp(`^${baseUrl.replace(/[.*+?^$()|[\]\\/]/g, '\\$&')}/${page}\\?token=(${TOKEN})$`).exec(link ?? '');
  assert.ok(match, `${link} is not a ${page} link of ${baseUrl}`);
  return match[1];
}

let counter = 0;
async function createUser(rootRole: number | string = 'Editor', password?: string) {
  counter += 1;
  return asAdmin().createUser({
    createUserSchema: { email: `TS.User${counter}@Example.com`, name: `TS User ${counter}`, rootRole, password },
  });
}

// --- operational ----------------------------------------------------------------------------------

test('health, liveness, readiness, metrics and the served contract', async () => {
  const ops = new OperationalApi(config());
  assert.deepEqual(await ops.getHealth(), { health: 'GOOD' });
  assert.deepEqual(await ops.getHealthLive(), { health: 'GOOD' });
  const ready = await ops.getHealthReady();
  assert.deepEqual([ready.health, ready.database, ready.outbox], ['GOOD', 'up', 'running']);
  assert.equal(ready.schemaVersion, ready.expectedSchemaVersion);
  await failure(ops.getMetrics(), 401, 'AuthenticationRequired');
  const metrics = await new OperationalApi(config({ apiKey: ADMIN_TOKEN })).getMetrics();
  assert.match(metrics, /http_requests_total\{operation="getHealth",status="200"\}/);
  assert.deepEqual(await ops.getOpenApiJson(), JSON.parse(readFileSync(path.resolve(ROOT, process.env.OPENAPI_JSON ?? 'target/sdk-test-ts/openapi.json'), 'utf8')));
  const document = await ops.getOpenApiSpec();
  assert.equal(await (document as Blob).text(), readFileSync(path.join(ROOT, 'openapi.yaml'), 'utf8'));
});

// --- logging in, credentials ------------------------------------------------------------------------

test('log-in answers the user and sets the session cookie; profile and me', async () => {
  const response = await auth().loginRaw({ loginSchema: { username: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
  const user = await response.value();
  assert.equal(user.username, ADMIN_USERNAME);
  assert.equal(user.rootRole, 1);
  assert.equal(user.accountType, 'User');
  assert.ok(user.createdAt instanceof Date);
  assert.match(user.imageUrl ?? '', /^https:\/\/gravatar\.com\/avatar\//);
  const session = sessionOf(response.raw);
  assert.match(session, new RegExp(`^${TOKEN}$`));

  const mine = new UsersApi(config({ session }));
  const profile = await mine.getProfile();
  assert.deepEqual([profile.rootRole.id, profile.rootRole.name, profile.rootRole.type], [1, 'Admin', 'root']);
  assert.equal(profile.canChangePassword, true);
  const me = await mine.getMe();
  assert.equal(me.user.username, ADMIN_USERNAME);
  assert.deepEqual(me.permissions.map((p) => p.permission), ['ADMIN']);
});

test('a wrong password is PasswordMismatch', async () => {
  const error = await failure(auth().login({ loginSchema: { username: ADMIN_USERNAME, password: 'Not-the-Passw0rd!' } }), 401, 'PasswordMismatch');
  assert.match(error.message, /^The combination of password and username you provided is invalid\./);
});

test('no credentials is AuthenticationRequired; an unknown token UnauthorizedError; a bearer token works', async () => {
  const error = await failure(new UsersApi(config()).getMe(), 401, 'AuthenticationRequired');
  assert.equal(error.path, '/auth/simple/login');
  assert.equal(error.type, 'password');
  assert.equal(error.defaultHidden, false);
  const unknown = await failure(new UsersApi(config({ apiKey: '*:*.not-a-token' })).getUsers(), 401, 'UnauthorizedError');
  assert.equal(unknown.message, 'You must log in to use Unleash.');
  const users = await new UsersApi(config({ bearer: ADMIN_TOKEN })).getUsers();
  assert.ok(users.users.some((u) => u.username === ADMIN_USERNAME));
});

test('a non-admin session is refused admin calls with PermissionError', async () => {
  const viewer = await createUser(3, STRONG);
  const users = new UsersApi(config({ session: await login(viewer.email!, STRONG) }));
  assert.equal((await users.getMe()).user.id, viewer.id);
  const error = await failure(users.getUsers(), 403, 'PermissionError');
  assert.deepEqual(error.permissions, ['ADMIN']);
});

// --- admin user calls -------------------------------------------------------------------------------

test('create user echoes the role as sent, answers the invite link; list, get, delete', async () => {
  const response = await asAdmin().createUserRaw({
    createUserSchema: { email: 'Grace.TS@Example.com', name: 'Grace', rootRole: 'Editor', sendEmail: true },
  });
  assert.equal(response.raw.status, 201);
  const created = await response.value();
  assert.equal(response.raw.headers.get('location'), String(created.id));
  assert.equal(created.email, 'grace.ts@example.com');
  assert.equal(created.rootRole, 'Editor');
  assert.equal(created.emailSent, false);
  tokenOf(created.inviteLink, 'new-user');
  const byId = await asAdmin().createUser({ createUserSchema: { username: 'ts-viewer', rootRole: 3 } });
  assert.equal(byId.rootRole, 3);
  const exists = await failure(asAdmin().createUser({ createUserSchema: { email: 'grace.ts@example.com', rootRole: 'Viewer' } }), 400, 'BadDataError');
  assert.equal(exists.message, 'User already exists');

  const list = await asAdmin().getUsers({});
  assert.deepEqual(list.rootRoles.map((r) => [r.id, r.name, r.type]), [[1, 'Admin', 'root'], [2, 'Editor', 'root'], [3, 'Viewer', 'root']]);
  assert.equal(list.users.find((u) => u.id === created.id)?.rootRole, 2);
  const page = await asAdmin().getUsers({ limit: 1, offset: 0 });
  assert.equal(page.users.length, 1);

  const one = await asAdmin().getUser({ id: created.id });
  assert.deepEqual([one.id, one.email, one.rootRole], [created.id, created.email, 2]);
  const missing = await failure(asAdmin().getUser({ id: 999999 }), 404, 'NotFoundError');
  assert.equal(missing.message, 'No user found');

  const deleted = await asAdmin().deleteUserRaw({ id: byId.id });
  assert.equal(deleted.raw.status, 200);
  await failure(asAdmin().getUser({ id: byId.id }), 404, 'NotFoundError');
});

// --- tokens -----------------------------------------------------------------------------------------

test('the invite link: validate, a weak password refused with every rule, set, spent', async () => {
  const created = await createUser('Editor');
  const token = tokenOf(created.inviteLink, 'new-user');
  const found = await auth().validateToken({ token });
  assert.deepEqual([found.id, found.email, found.token, found.createdBy], [created.id, created.email, token, 'admin']);
  assert.deepEqual([found.role.id, found.role.name], [2, 'Editor']);

  const weak = await failure(auth().changePassword({ changePasswordSchema: { token, password: 'hunter2' } }), 400, 'OwaspValidationError');
  assert.equal(weak.message, HUNTER2_FAILS[0]);
  assert.deepEqual(weak.details?.[0].validationErrors, HUNTER2_FAILS);

  await auth().changePassword({ changePasswordSchema: { token, password: STRONG } });
  const spent = await failure(auth().validateToken({ token }), 401, 'InvalidTokenError');
  assert.equal(spent.message, 'Token was not valid');
  await failure(auth().validateToken({}), 401, 'InvalidTokenError');
  await failure(auth().changePassword({ changePasswordSchema: { token, password: 'Another-passw0rd-9' } }), 401, 'InvalidTokenError');
  assert.ok(await login(created.email!.toUpperCase(), STRONG));
});

test("an admin's reset link, throttled per user; the reset; the forgotten-password mail", async () => {
  const created = await createUser('Viewer', 'Old-passw0rd-123');
  const admin = new UsersApi(config({ session: await login(ADMIN_USERNAME, ADMIN_PASSWORD) }));
  const link = await admin.resetUserPassword({ idSchema: { id: created.email! } });
  const token = tokenOf(link.resetPasswordUrl, 'reset-password');
  assert.equal((await auth().validateToken({ token })).createdBy, ADMIN_USERNAME);
  await failure(admin.resetUserPassword({ idSchema: { id: 'nobody@example.com' } }), 404, 'NotFoundError');
  await failure(admin.resetUserPassword({ idSchema: { id: created.email! } }), 429, 'RateLimitError');
  await auth().changePassword({ changePasswordSchema: { token, password: 'New-passw0rd-456' } });
  assert.ok(await login(created.email!, 'New-passw0rd-456'));

  const other = await createUser();
  const invite = tokenOf(other.inviteLink, 'new-user');
  await auth().sendResetPasswordEmail({ emailSchema: { email: other.email! } });
  await failure(auth().validateToken({ token: invite }), 401, 'InvalidTokenError'); // a newer token was mailed
  await auth().sendResetPasswordEmail({ emailSchema: { email: 'nobody@example.com' } }); // the same answer
});

// --- passwords --------------------------------------------------------------------------------------

test('validate-password, public and admin', async () => {
  await auth().validatePassword({ validatePasswordSchema: { password: 'simple123-_ASsad' } });
  const error = await failure(auth().validatePassword({ validatePasswordSchema: { password: 'hunter2' } }), 400, 'OwaspValidationError');
  assert.deepEqual(error.details?.[0].validationErrors, HUNTER2_FAILS);
  await asAdmin().validateUserPassword({ passwordSchema: { password: 'Pässwörd12!' } });
  await failure(asAdmin().validateUserPassword({ passwordSchema: { password: 'qwertyabcde' } }), 400, 'OwaspValidationError');
});

test('change my own password', async () => {
  const created = await createUser('Editor', 'First-passw0rd-1');
  const mine = new UsersApi(config({ session: await login(created.email!, 'First-passw0rd-1') }));
  const wrong = await failure(
    mine.changeMyPassword({ passwordSchema: { password: 'Second-passw0rd-2', confirmPassword: 'Second-passw0rd-2', oldPassword: 'Wrong-passw0rd-0' } }),
    401,
    'PasswordMismatch',
  );
  assert.match(wrong.message, /^The old password you provided is invalid\./);
  await failure(mine.changeMyPassword({ passwordSchema: { password: 'First-passw0rd-1', confirmPassword: 'First-passw0rd-1', oldPassword: 'First-passw0rd-1' } }), 400, 'PasswordPreviouslyUsedError');
  await mine.changeMyPassword({ passwordSchema: { password: 'Second-passw0rd-2', confirmPassword: 'Second-passw0rd-2', oldPassword: 'First-passw0rd-1' } });
  assert.equal((await mine.getMe()).user.id, created.id); // the caller's session is kept
  await failure(auth().login({ loginSchema: { username: created.email!, password: 'First-passw0rd-1' } }), 401, 'PasswordMismatch');
});

test("an admin changes a user's password, ending the user's sessions", async () => {
  const created = await createUser('Editor', 'First-passw0rd-1');
  const theirs = new UsersApi(config({ session: await login(created.email!, 'First-passw0rd-1') }));
  await failure(asAdmin().changeUserPassword({ id: created.id, passwordSchema: { password: 'hunter2' } }), 400, 'OwaspValidationError');
  await asAdmin().changeUserPassword({ id: created.id, passwordSchema: { password: 'Admin-set-passw0rd' } });
  await failure(theirs.getMe(), 401, 'AuthenticationRequired');
  assert.ok(await login(created.email!, 'Admin-set-passw0rd'));
  await failure(asAdmin().changeUserPassword({ id: 999999, passwordSchema: { password: 'Admin-set-passw0rd' } }), 404, 'NotFoundError');
});

test('log-out ends the session', async () => {
  const created = await createUser('Editor', STRONG);
  const session = await login(created.email!, STRONG);
  const api = new AuthApi(config({ session }));
  const response = await api.logoutRaw({ redirect: 'manual' });
  assert.ok(response.raw.status >= 200 && response.raw.status < 300, `log-out answered ${response.raw.status}`);
  await failure(new UsersApi(config({ session })).getMe(), 401, 'AuthenticationRequired');
});

test('the audit log', async () => {
  const page = await asAdmin().getEvents({ limit: 500 });
  assert.ok(page.total >= page.events.length && page.events.length > 0);
  const ids = page.events.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  // an admin API token acts as Unleash records it: by its name (`admin` for a configured one), -42
  assert.ok(
    page.events.some((e) => e.type === 'user-created' && e.actor === 'admin' && e.createdByUserId === -42),
  );
});

// --- after a takeover ------------------------------------------------------------------------------

test("a user lists and ends their own sessions; an unknown \"this wasn't me\" token changes nothing", async () => {
  const user = await createUser('Viewer', STRONG);
  const first = await login(user.email!, STRONG);
  const second = await login(user.email!, STRONG);
  const mine = new UsersApi(config({ session: second }));
  const listed = await mine.getMySessions();
  assert.equal(listed.sessions.length, 2);
  assert.deepEqual(listed.sessions.map((s) => s.current), [true, false]); // newest first
  for (const session of listed.sessions) {
    assert.equal(session.ip, '127.0.0.1');
    assert.ok(session.createdAt instanceof Date);
    assert.ok(![first, second].includes(session.id));
  }
  const response = await mine.endMySessionRaw({ id: listed.sessions[1].id });
  assert.equal(response.raw.status, 204);
  await failure(mine.endMySession({ id: listed.sessions[1].id }), 404, 'NotFoundError');
  await failure(new UsersApi(config({ session: first })).getMe(), 401, 'AuthenticationRequired');
  const ended = await mine.endMyOtherSessionsRaw();
  assert.equal(ended.raw.status, 204);
  assert.equal((await mine.getMySessions()).sessions.length, 1);
  await failure(asAdmin().getMySessions(), 403, 'SessionRequiredError');
  await failure(auth().reportNotMe({ notMeSchema: { token: 'not-a-token' } }), 401, 'InvalidTokenError');
});

// --- coverage -----------------------------------------------------------------------------------------

test('every operation of openapi.yaml was sent through the TypeScript client', () => {
  const missing = [...new Set(OPERATIONS.map((o) => o.id))].filter((id) => !CALLED.has(id)).sort();
  assert.deepEqual(missing, [], `operations without a TypeScript SDK test: ${missing.join(', ')}`);
});
