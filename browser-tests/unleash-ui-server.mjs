// A small server of our own for Unleash's web UI in front of Unlatch (used by unleash-ui.test.mjs):
// static files from the `frontend/build` folder of the pinned unleash-server npm package, its
// index.html with Unleash's placeholders filled for an empty base path and no CDN, every other
// path of the single-page app answered with that index.html, and `/api`, `/auth`, `/logout` (and
// `/health`) passed through to Unlatch unchanged (method, headers, body, status, Set-Cookie).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.map': 'application/json', '.txt': 'text/plain',
};
const PROXIED = /^\/(api|auth|logout|health)(\/|$|\?)/;

// index.html as Unleash serves it with no base path and no CDN: the placeholders are
// `::baseUriPath::`, `::cdnPrefix::`, `::faviconPrefix::` (all empty here), `::uiFlags::` (an empty
// JSON object) and `::unleashToken::` (empty).
export function fillIndex(html) {
  return html
    .replaceAll('::baseUriPath::', '')
    .replaceAll('::cdnPrefix::', '')
    .replaceAll('::faviconPrefix::', '')
    .replaceAll('::uiFlags::', '{}')
    .replaceAll('::unleashToken::', '');
}

export function startUiServer({ buildDir, upstream, port = 0 }) {
  const index = fillIndex(fs.readFileSync(path.join(buildDir, 'index.html'), 'utf8'));
  const target = new URL(upstream);
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://ui');
    if (PROXIED.test(url.pathname)) {
      const forward = http.request(
        { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode, answer.rawHeaders);
          answer.pipe(response);
        },
      );
      forward.on('error', (error) => response.destroy(error));
      request.pipe(forward);
      return;
    }
    const file = path.join(buildDir, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
    if (url.pathname !== '/' && file.startsWith(buildDir) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      response.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      fs.createReadStream(file).pipe(response);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(index);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
