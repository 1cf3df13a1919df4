// nginx with the SHIPPED deploy/nginx/unlatch-sidecar.conf, for the sidecar tests
// (sidecar-proxy.test.mjs, sidecar-ui.test.mjs): the file is rendered with only its two upstream
// addresses (the lines marked `# UNLATCH_ADDRESS` and `# UNLEASH_ADDRESS`), its `listen` line
// (`# LISTEN`) and its access log's file (`# ACCESS_LOG`) replaced, and included from a small
// wrapper configuration that keeps nginx's pid, temp files and logs in a prefix directory of its
// own. nginx runs as an unprivileged foreground process (`daemon off`) and is always stopped by
// stop(). The access log is the shipped one, in the shipped format: it names the upstream that
// answered each request (`upstream=$upstream_addr`), so a test can say who served what.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHIPPED = path.join(ROOT, 'deploy', 'nginx', 'unlatch-sidecar.conf');
const NGINX = process.env.NGINX || '/usr/sbin/nginx';

export const freePort = () => new Promise((resolve, reject) => {
  const probe = net.createServer();
  probe.once('error', reject);
  probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
});

// Replaces exactly one line of the shipped file, or throws: a placeholder that moved or vanished
// must fail the test, not leave the shipped default in place.
function replaceOnce(text, pattern, replacement, what) {
  const found = text.match(new RegExp(pattern.source, 'gm')) ?? [];
  if (found.length !== 1) throw new Error(`${SHIPPED}: expected one ${what} line, found ${found.length}`);
  return text.replace(pattern, replacement);
}

// The shipped file with its two upstream addresses and its listen address set ("host:port" each).
export function renderSidecarConf({ unlatch, unleash, listen, accessLog }) {
  let text = fs.readFileSync(SHIPPED, 'utf8');
  text = replaceOnce(text, /^(\s*server\s+)\S+(;\s*# UNLATCH_ADDRESS)$/m, `$1${unlatch}$2`, 'UNLATCH_ADDRESS');
  text = replaceOnce(text, /^(\s*server\s+)\S+(;\s*# UNLEASH_ADDRESS)$/m, `$1${unleash}$2`, 'UNLEASH_ADDRESS');
  text = replaceOnce(text, /^(\s*listen\s+)\S+(;\s*# LISTEN)$/m, `$1${listen}$2`, 'LISTEN');
  text = replaceOnce(text, /^(\s*access_log\s+)\S+(\s+\S+;\s*# ACCESS_LOG)$/m, `$1${accessLog}$2`, 'ACCESS_LOG');
  return text;
}

// Writes the rendered file and the wrapper into `dir` (made afresh) and returns the command line
// that runs them; `nginx -t` with the same arguments checks them.
export function prepareNginx({ dir, unlatch, unleash, listen }) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'temp'), { recursive: true });
  const accessLog = path.join(dir, 'access.log');
  fs.writeFileSync(path.join(dir, 'unlatch-sidecar.conf'), renderSidecarConf({ unlatch, unleash, listen, accessLog }));
  const temp = (name) => `${name}_temp_path ${path.join(dir, 'temp', name)};`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), [
    '# written by browser-tests/sidecar-nginx.mjs: a wrapper around the rendered shipped file',
    // As root (CI containers) the workers would switch to `nobody`, who cannot use this directory.
    process.getuid?.() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    `error_log ${path.join(dir, 'error.log')} info;`,
    'events { worker_connections 512; }',
    'http {',
    // no access log of the wrapper's own: the shipped file's server block has its own
    '  access_log off;',
    `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
    `  include ${path.join(dir, 'unlatch-sidecar.conf')};`,
    '}',
    '',
  ].join('\n'));
  // -e: the log for what nginx says before it has read the configuration (its compiled-in default
  // is /var/log/nginx/error.log, which an unprivileged user cannot open).
  return ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf'),
    '-g', `daemon off; pid ${path.join(dir, 'nginx.pid')};`];
}

// One line of the shipped access log format (`unlatch_sidecar`), as { method, path, status,
// upstream }, or null for a line that is not in that format.
const ACCESS_LINE = /^\S+ - \S+ \[[^\]]+\] "(\S+) (.*) \S+" (\d{3}) \d+ "[^"]*" upstream=(\S*)$/;
export function parseAccessLine(line) {
  const match = ACCESS_LINE.exec(line);
  if (!match) return null;
  const [, method, path, status, upstream] = match;
  return { method, path, status: Number(status), upstream };
}

// Starts nginx in the foreground on 127.0.0.1:<free port> and waits until it accepts connections.
// Returns { url, dir, accessLog() (its lines), accessEntries() (parsed), stop() }.
export async function startNginx({ dir, unlatch, unleash }) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = prepareNginx({ dir, unlatch, unleash, listen: `127.0.0.1:${port}` });
    try {
      execFileSync(NGINX, ['-t', ...args], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`nginx -t refused the rendered ${SHIPPED}:\n${error.stderr}`);
    }
    const child = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.on('exit', () => { if (child.exitCode === null) child.kill('SIGKILL'); });
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      const up = await new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
        socket.once('error', () => resolve(false));
      });
      if (up) {
        return {
          url: `http://127.0.0.1:${port}`,
          dir,
          accessLog: () => fs.readFileSync(path.join(dir, 'access.log'), 'utf8').split('\n').filter(Boolean),
          accessEntries() {
            return this.accessLog().map((line) => {
              const entry = parseAccessLine(line);
              if (!entry) throw new Error(`not a line of the shipped access log format: ${line}`);
              return entry;
            });
          },
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGQUIT'); // graceful: finish what is in flight
              const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
              await exited;
              clearTimeout(timer);
            }
          },
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (child.exitCode === null) { child.kill('SIGKILL'); await exited; }
    const log = fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
    // the free port was taken in between: try another one
    if (attempt < 3 && /Address already in use/.test(log + stderr)) continue;
    throw new Error(`nginx did not start on port ${port}:\n${stderr}\n${log.split('\n').slice(-20).join('\n')}`);
  }
}
