// Unlatch beside the in-process Unleash of Unleash's own end-to-end tests (make unleash-e2e).
//
// Copied next to the patched test helpers (dist/test/e2e/helpers/unlatch-beside.js of a copy of
// the pinned unleash-server package, see unleash-e2e/README.md). For every app a test builds,
// `beside` starts a real `unlatch serve` on that test's own database (UNLEASH_DATABASE_URL),
// configured as the app's Unleash is (cookie secret, public URL, rate limits, mail, the device
// count flag), and answers a request handler for supertest: a request of an operation in
// openapi.yaml (method and path, path parameters matched by their schema's type) goes to Unlatch
// over HTTP, everything else to the in-process app. Cookies flow through the test's agent both
// ways, so a session made on one side is presented to the other.
//
// An app without authentication (Unleash's `none`, which treats every caller as an admin) gets
// an admin API token added to what it sends to Unlatch's /api/ calls: Unlatch always
// authenticates.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const BIN = required('UNLATCH_BIN');
const SPEC = JSON.parse(fs.readFileSync(required('UNLATCH_E2E_OPENAPI_JSON'), 'utf8'));
const LOG_DIR = required('UNLATCH_E2E_LOG_DIR');
const FORWARDED = path.join(LOG_DIR, 'forwarded.txt');
const ADMIN_TOKEN = '*:*.unleash-e2e-harness';
const START_TIMEOUT_MS = 30_000;
// Mail: an app with mail configured gets an Unlatch with mail configured (so `emailSent` holds),
// sent to a local port where nothing listens, so that the run sends nothing out.
const NOWHERE_PORT = '9';

function required(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set: run these tests with make unleash-e2e`);
    }
    return value;
}

/** Every operation of openapi.yaml: its method and a pattern of its path. */
const ROUTES = (() => {
    const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
    const routes = [];
    for (const [template, item] of Object.entries(SPEC.paths)) {
        for (const method of methods) {
            const operation = item[method];
            if (!operation) continue;
            const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
            const pattern = template
                .split(/(\{[^}]+\})/)
                .map((part) => {
                    const name = part.match(/^\{([^}]+)\}$/)?.[1];
                    if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
                    const schema = parameters.find((p) => p.in === 'path' && p.name === name)?.schema;
                    return schema?.type === 'integer' ? '[0-9]+' : '[^/]+';
                })
                .join('');
            routes.push({
                method: method.toUpperCase(),
                pattern: new RegExp(`^${pattern}$`),
                operationId: operation.operationId,
            });
        }
    }
    return routes;
})();

/** The operation of openapi.yaml a request is for, if any. */
export function operationOf(method, url) {
    const pathname = new URL(url, 'http://unlatch.invalid').pathname;
    return ROUTES.find((r) => r.method === method && r.pattern.test(pathname))?.operationId;
}

function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

/** The postgres:// URL of the database the app's stores use (the test's own). */
function databaseUrl(stores, db) {
    const knex = db ?? stores?.userStore?.db;
    const connection = knex?.client?.config?.connection;
    if (!connection?.database) {
        throw new Error('unlatch-beside: cannot tell which database this app uses');
    }
    const user = encodeURIComponent(connection.user ?? '');
    const password = connection.password ? `:${encodeURIComponent(connection.password)}` : '';
    return `postgres://${user}${password}@${connection.host}:${connection.port ?? 5432}/${connection.database}?sslmode=disable`;
}

/** Unlatch's settings for what this app's Unleash is configured with. */
function settingsFor(config, port, database) {
    const env = {
        PATH: process.env.PATH,
        HOME: process.env.HOME ?? '/tmp',
        TZ: 'UTC',
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        MANAGEMENT_HTTP_PORT: '0',
        UNLEASH_DATABASE_URL: database,
        UNLEASH_SECRET: config.server.secret,
        UNLEASH_URL: config.server.unleashUrl,
        INIT_ADMIN_API_TOKENS: ADMIN_TOKEN,
        // Unleash's tests create no first admin (`createAdminUser: false`); an Unlatch that made
        // one on the empty test database, while a test runs, adds a user the test does not expect.
        CREATE_ADMIN_USER: String(config.authentication?.createAdminUser ?? true),
        SESSION_TTL_HOURS: String(config.session?.ttlHours ?? 48),
        SIMPLE_LOGIN_LIMIT_PER_MINUTE: String(config.rateLimiting.simpleLoginMaxPerMinute),
        PASSWORD_RESET_LIMIT_PER_MINUTE: String(config.rateLimiting.passwordResetMaxPerMinute),
        CREATE_USER_RATE_LIMIT_PER_MINUTE: String(config.rateLimiting.createUserMaxPerMinute),
        UNLEASH_EXPERIMENTAL_SHOW_USER_DEVICE_COUNT: String(
            config.flagResolver.isEnabled('showUserDeviceCount'),
        ),
        DATABASE_POOL_SIZE: '4',
        LOG_LEVEL: 'info',
    };
    if (config.email?.host) {
        Object.assign(env, {
            EMAIL_HOST: '127.0.0.1',
            EMAIL_PORT: NOWHERE_PORT,
            EMAIL_SENDER: config.email.sender || 'Unleash <noreply@getunleash.ai>',
        });
    }
    return env;
}

let started = 0;

// Apps a test never destroys (user-admin's anonymised one) leave their Unlatch running: every
// Unlatch still running when this test process exits is stopped, and each one's id is written to
// pids.txt for scripts/unleash-e2e.sh to stop should this process die harder.
const running = new Set();
process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
});

/** Starts Unlatch for this app and answers { handler, stop }. */
export async function beside(app, config, stores, db) {
    const port = await freePort();
    const log = path.join(LOG_DIR, `unlatch-${process.pid}-${++started}.log`);
    const out = fs.openSync(log, 'a');
    const child = spawn(BIN, ['serve'], {
        env: settingsFor(config, port, databaseUrl(stores, db)),
        stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    running.add(child);
    fs.appendFileSync(path.join(LOG_DIR, 'pids.txt'), `${child.pid}\n`);
    let exited = null;
    child.once('exit', (code, signal) => {
        exited = { code, signal };
        running.delete(child);
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
        if (exited) {
            throw new Error(`unlatch exited at start-up (${JSON.stringify(exited)}); its log: ${log}`);
        }
        try {
            const answer = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) });
            if (answer.ok) break;
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline) {
            child.kill('SIGKILL');
            throw new Error(`unlatch did not answer /health within ${START_TIMEOUT_MS} ms; its log: ${log}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const open = config.authentication.type === 'none';
    const handler = (req, res) => {
        const operation = operationOf(req.method, req.url);
        if (!operation) {
            return app(req, res);
        }
        const headers = { ...req.headers, host: `127.0.0.1:${port}` };
        if (open && req.url.startsWith('/api/') && !headers.authorization) {
            headers.authorization = ADMIN_TOKEN;
        }
        const forwarded = http.request(
            { host: '127.0.0.1', port, method: req.method, path: req.url, headers },
            (answer) => {
                // Every request Unlatch answered, for the summary (one line each).
                fs.appendFileSync(FORWARDED, `${operation} ${answer.statusCode}\n`);
                res.writeHead(answer.statusCode, answer.rawHeaders);
                answer.pipe(res);
            },
        );
        forwarded.on('error', (error) => {
            res.writeHead(502, { 'content-type': 'text/plain' });
            res.end(`unlatch-beside: ${error.message} (log: ${log})`);
        });
        req.pipe(forwarded);
    };
    const stop = () =>
        new Promise((resolve) => {
            if (exited) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
        });
    return { handler, stop };
}
