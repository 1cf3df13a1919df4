// The shipped nginx configuration (deploy/nginx/unlatch-sidecar.conf, rendered by sidecar-nginx.mjs
// with only its two upstream addresses and its listen line set) in front of two fake upstreams of
// our own that echo what reached them: which paths and methods go to Unlatch and which stay with
// Unleash (including the spellings Unleash's router also accepts: any case, a trailing slash), and
// that the path, query, body, Host, X-Forwarded-For/Proto, Set-Cookie and Location pass unchanged.
// Needs nginx only (`make nginx`); run by `make sidecar-test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ROOT, startNginx } from './sidecar-nginx.mjs';

let nginx, upstreams;

// An upstream that answers every request with what it got, as JSON, plus two cookies and, for
// /redirect-*, a Location.
function echo(name) {
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const headers = {
        'Content-Type': 'application/json',
        'Set-Cookie': [
          `unleash-session=s%3A${name}.sig%2Bn%2Fd; Path=/; Expires=Wed, 25 Nov 2026 10:15:15 GMT; HttpOnly; SameSite=Lax`,
          'second=two; Path=/api',
        ],
      };
      if (request.url === '/redirect-relative') headers.Location = '/signed-out';
      if (request.url === '/redirect-absolute') headers.Location = `http://${request.headers.host}/elsewhere`;
      response.writeHead(request.url.startsWith('/redirect-') ? 302 : 200, headers);
      response.end(JSON.stringify({
        who: name, method: request.method, url: request.url, headers: request.headers,
        body: Buffer.concat(chunks).toString('base64'),
      }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  upstreams = { unlatch: await echo('unlatch'), unleash: await echo('unleash') };
  const address = (server) => `127.0.0.1:${server.address().port}`;
  nginx = await startNginx({
    dir: path.join(ROOT, 'target', 'sidecar-nginx', 'proxy-test'),
    unlatch: address(upstreams.unlatch),
    unleash: address(upstreams.unleash),
  });
});

after(async () => {
  if (nginx) await nginx.stop();
  for (const server of Object.values(upstreams ?? {})) await new Promise((r) => server.close(r));
});

// One request through nginx, the path sent exactly as written (no URL normalisation on our side).
function send(method, pathname, { body, headers = {} } = {}) {
  const { port } = new URL(nginx.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path: pathname, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let echoed = null;
        try { echoed = JSON.parse(text); } catch { /* not from an upstream */ }
        resolve({ status: response.statusCode, headers: response.headers, echoed, text });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

const TO_UNLATCH = [
  'POST /auth/simple/login',
  'GET /auth/reset/validate?token=abc',
  'POST /auth/reset/password',
  'POST /auth/reset/password-email',
  'POST /auth/reset/validate-password',
  'POST /api/admin/user/change-password',
  'POST /api/admin/user-admin',
  'POST /api/admin/user-admin/reset-password',
  'POST /api/admin/user-admin/42/change-password',
  'POST /logout',
  'POST /auth/reset/not-me',
  'GET /api/admin/user/sessions',
  'DELETE /api/admin/user/sessions',
  'DELETE /api/admin/user/sessions/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  'GET /not-me?token=abc',
  'GET /assets/unlatch.js',
  'GET /assets/unlatch.css',
  'GET /assets/favicon.svg',
  // spellings Unleash's Express router takes for the same routes: they must not reach Unleash
  'POST /auth/simple/login/',
  'POST /Auth/Simple/LOGIN',
  'POST /api/admin/user-admin/',
  'POST /API/Admin/User-Admin/Reset-Password/',
  'POST /api/admin/user-admin/7/Change-Password/',
  'POST /Logout/',
  'POST //auth//simple/login',
  'POST /api/admin/../admin/user/change-password',
];

const TO_UNLEASH = [
  'GET /',
  'GET /login',
  'GET /new-user?token=abc',
  'GET /reset-password?token=abc',
  'GET /forgotten-password',
  'GET /profile/change-password',
  'GET /profile',
  'GET /not-me/more',
  'POST /not-me',
  'GET /assets/other.js',
  'GET /api/admin/user/sessions/a/b',
  'GET /signed-out',
  'GET /health',
  'GET /logout', // Unleash's UI logs out with a form POST; GET is no route of Unleash's
  'GET /auth/simple/login',
  'POST /auth/simple/login-other',
  'POST /auth/simple',
  'POST /auth/reset',
  'GET /api/admin/user',
  'GET /api/admin/user/profile',
  'GET /api/admin/user-admin',
  'GET /api/admin/user-admin?q=x',
  'POST /api/admin/user-admin/validate-password',
  'PUT /api/admin/user-admin/42',
  'DELETE /api/admin/user-admin/42',
  'GET /api/admin/user-admin/42',
  'POST /api/admin/user-admin/abc/change-password',
  'POST /api/admin/user-admin/42/change-password/more',
  'GET /api/admin/user-admin/42/change-password',
  'PUT /api/admin/user/change-password',
  'GET /api/admin/ui-config',
  'GET /api/client/features',
  'POST /api/admin/features-batch/export',
];

test('the password paths go to Unlatch, with the request line as sent', async () => {
  for (const line of TO_UNLATCH) {
    const [method, pathname] = line.split(' ');
    const { status, echoed } = await send(method, pathname);
    assert.equal(status, 200, line);
    assert.equal(echoed?.who, 'unlatch', `${line} reached ${echoed?.who}`);
    assert.equal(echoed.method, method, line);
    assert.equal(echoed.url, pathname, `${line}: the upstream got ${echoed.url}`);
  }
});

test('everything else goes to Unleash, with the request line as sent', async () => {
  for (const line of TO_UNLEASH) {
    const [method, pathname] = line.split(' ');
    const { status, echoed } = await send(method, pathname);
    assert.equal(status, 200, line);
    assert.equal(echoed?.who, 'unleash', `${line} reached ${echoed?.who}`);
    assert.equal(echoed.url, pathname, `${line}: the upstream got ${echoed.url}`);
  }
});

test('the access log names the upstream that answered', async () => {
  await send('POST', '/auth/simple/login?from=log');
  await send('GET', '/api/admin/user-admin?from=log');
  const entries = nginx.accessEntries();
  const port = (name) => upstreams[name].address().port;
  const has = (method, pathname, upstream) => entries.some((e) =>
    e.method === method && e.path === pathname && e.status === 200 && e.upstream === `127.0.0.1:${port(upstream)}`);
  assert.ok(has('POST', '/auth/simple/login', 'unlatch'), nginx.accessLog().join('\n'));
  assert.ok(has('GET', '/api/admin/user-admin', 'unleash'), nginx.accessLog().join('\n'));
});

// A mailed link carries its token in the query (`/reset-password?token=…`), and the page it opens
// calls `/auth/reset/validate?token=…` and may send the link whole as Referer: the shipped
// access log keeps the paths and none of those.
test('the access log keeps the path of a link but not its token, nor the Referer', async () => {
  const secret = (n) => `SECRET${n}-${process.pid}`;
  const requests = [
    ['GET', `/reset-password?token=${secret(1)}`, {}],
    ['GET', `/new-user?token=${secret(2)}&x=1`, {}],
    ['GET', `/not-me?token=${secret(6)}`, {}],
    ['GET', `/auth/reset/validate?token=${secret(3)}`, { Referer: `http://flags.example.com/reset-password?token=${secret(4)}` }],
    ['POST', `/auth/reset/password?token=${secret(5)}`, { 'User-Agent': 'probe' }],
  ];
  for (const [method, pathname, headers] of requests) {
    const { status, echoed } = await send(method, pathname, { headers });
    assert.equal(status, 200, pathname);
    assert.equal(echoed.url, pathname, 'the upstream still gets the query');
  }
  const file = fs.readFileSync(path.join(nginx.dir, 'access.log'), 'utf8');
  for (const n of [1, 2, 3, 4, 5, 6]) assert.ok(!file.includes(secret(n)), `token ${n} is in the access log:\n${file}`);
  assert.ok(!file.includes('token='), file);
  const log = nginx.accessLog();
  const entries = nginx.accessEntries();
  for (const [method, pathname] of requests) {
    const bare = pathname.split('?')[0];
    assert.ok(entries.some((e) => e.method === method && e.path === bare), `${method} ${bare} is not logged:\n${log.join('\n')}`);
  }
  assert.ok(log.some((line) => line.includes('"probe"')), 'the User-Agent is logged');
});

test('the query, the body and the Host, X-Forwarded-For and X-Forwarded-Proto headers arrive as sent', async () => {
  const body = Buffer.from(JSON.stringify({ username: 'ünïcødé@example.com', password: 'p%41ss+w/ord=' }));
  for (const [method, pathname, who] of [
    ['POST', '/auth/simple/login', 'unlatch'],
    ['POST', '/api/admin/features-batch/export', 'unleash'],
  ]) {
    const { echoed } = await send(method, pathname, {
      body, headers: { 'Content-Type': 'application/json', Host: 'flags.example.com:8443', 'X-Custom': 'kept' },
    });
    assert.equal(echoed.who, who);
    assert.equal(Buffer.from(echoed.body, 'base64').compare(body), 0, 'the body changed on the way');
    assert.equal(echoed.headers.host, 'flags.example.com:8443');
    assert.equal(echoed.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(echoed.headers['x-forwarded-proto'], 'http');
    assert.equal(echoed.headers['content-type'], 'application/json');
    assert.equal(echoed.headers['x-custom'], 'kept');
  }
  // a query with encoded characters reaches the upstream byte for byte
  const query = '/auth/reset/validate?token=a%2Bb%2Fc%3D%3D&x=%C3%BC';
  assert.equal((await send('GET', query)).echoed.url, query);
  // an X-Forwarded-For the client sent is kept, nginx's peer appended
  const { echoed } = await send('POST', '/auth/simple/login', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
  assert.equal(echoed.headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
});

test('Set-Cookie and Location come back unchanged', async () => {
  for (const [pathname, who] of [['/auth/simple/login', 'unlatch'], ['/api/admin/user', 'unleash']]) {
    const method = who === 'unlatch' ? 'POST' : 'GET';
    const { headers, echoed } = await send(method, pathname);
    assert.equal(echoed.who, who);
    assert.deepEqual(headers['set-cookie'], [
      `unleash-session=s%3A${who}.sig%2Bn%2Fd; Path=/; Expires=Wed, 25 Nov 2026 10:15:15 GMT; HttpOnly; SameSite=Lax`,
      'second=two; Path=/api',
    ]);
  }
  const relative = await send('GET', '/redirect-relative');
  assert.equal(relative.status, 302);
  assert.equal(relative.headers.location, '/signed-out');
  const absolute = await send('GET', '/redirect-absolute', { headers: { Host: 'flags.example.com' } });
  assert.equal(absolute.headers.location, 'http://flags.example.com/elsewhere');
});

test('the shipped file itself keeps its placeholders (the operator edits only those)', () => {
  const shipped = fs.readFileSync(path.join(ROOT, 'deploy', 'nginx', 'unlatch-sidecar.conf'), 'utf8');
  assert.match(shipped, /^upstream unlatch \{\n\s+server \S+;\s+# UNLATCH_ADDRESS\n\}/m);
  assert.match(shipped, /^upstream unleash \{\n\s+server \S+;\s+# UNLEASH_ADDRESS\n\}/m);
  assert.match(shipped, /^\s+listen \S+;\s+# LISTEN$/m);
  assert.match(shipped, /^\s+access_log \S+ unlatch_sidecar;\s+# ACCESS_LOG$/m);
  // the format it logs with writes the path ($uri), never the request line or the query
  const format = shipped.match(/^log_format unlatch_sidecar ((?:\s*'[^']*')+);/m);
  assert.ok(format, 'the shipped file defines log_format unlatch_sidecar');
  assert.match(format[1], /\$uri\b/);
  assert.doesNotMatch(format[1], /\$request\b|\$request_uri|\$args|\$query_string|\$arg_|\$http_referer/);
});
