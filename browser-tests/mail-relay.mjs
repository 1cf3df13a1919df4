// A fake mail relay of our own, shared by the browser tests: Unlatch's `json` mail provider POSTs
// every mail to `/emails` on it, and it keeps them (parsed) for the test to read. Resolves to
// `{ server, mails, port }` once it listens on a free port of 127.0.0.1.
import http from 'node:http';

export function startRelay() {
  const mails = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/emails') return response.writeHead(404).end();
      try { mails.push(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch { return response.writeHead(400).end(); }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ id: `mail-${mails.length}` }));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, mails, port: server.address().port }));
  });
}
