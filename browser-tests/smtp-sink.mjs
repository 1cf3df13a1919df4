// A tiny SMTP server of our own that keeps every mail it is given (sidecar-ui.test.mjs listens
// with it where scripts/with-unleash.sh points Unleash's own mail, UNLEASH_TEST_SMTP_PORT). Enough
// SMTP for nodemailer, Unleash's mailer, on a plain connection: EHLO/HELO, MAIL, RCPT, DATA, RSET,
// NOOP, QUIT, and no AUTH offered (nodemailer then sends without logging in; it would try to with
// Unleash's empty EMAIL_USER if AUTH were offered). Each mail is kept as { from, to, subject, text }, its
// text being the decoded text/plain part (or, without one, the whole decoded body), so that a test
// can find a link in it.
import net from 'node:net';

// =XX escapes and soft line breaks (RFC 2045, 6.7)
const quotedPrintable = (text) => Buffer.from(
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))),
  'latin1',
).toString('utf8');

// headers (unfolded, lower-case names) and body of one MIME entity
function entity(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decode({ headers, body }) {
  const encoding = (headers['content-transfer-encoding'] || '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return quotedPrintable(body);
  return body;
}

// The text/plain part, looked for through nested multiparts; else the first part's text.
function plainText(part) {
  const type = part.headers['content-type'] || 'text/plain';
  const boundary = type.match(/boundary="?([^";]+)"?/i)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = part.body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).map((p) => entity(p.replace(/^\r?\n/, '')));
    const texts = parts.map(plainText);
    return texts.find((t) => t.plain) ?? texts[0] ?? { plain: false, text: '' };
  }
  return { plain: /^text\/plain/i.test(type), text: decode(part) };
}

// `=?UTF-8?Q?…?=` / `=?UTF-8?B?…?=` words in a header
const headerWords = (value = '') => value.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset, kind, text) =>
  kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : quotedPrintable(text.replace(/_/g, ' ')));

export function startSmtpSink({ port = 0 } = {}) {
  const mails = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let envelope = { from: null, to: [] };
    let data = null; // the lines of DATA while it is being received
    const say = (line) => socket.write(`${line}\r\n`);
    say('220 sink ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === '.') {
            const raw = Buffer.from(data.join('\r\n'), 'latin1').toString('utf8');
            const message = entity(raw);
            const { text } = plainText(message);
            mails.push({ from: envelope.from, to: envelope.to, subject: headerWords(message.headers.subject), text, raw });
            data = null;
            envelope = { from: null, to: [] };
            say('250 2.0.0 kept');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') { say('250-sink'); say('250-8BITMIME'); say('250 SMTPUTF8'); }
        else if (verb === 'HELO') say('250 sink');
        else if (verb === 'MAIL') { envelope.from = line.match(/<([^>]*)>/)?.[1] ?? null; say('250 2.1.0 ok'); }
        else if (verb === 'RCPT') { envelope.to.push(line.match(/<([^>]*)>/)?.[1]); say('250 2.1.5 ok'); }
        else if (verb === 'DATA') { data = []; say('354 go ahead'); }
        else if (verb === 'RSET') { envelope = { from: null, to: [] }; say('250 ok'); }
        else if (verb === 'NOOP') say('250 ok');
        else if (verb === 'QUIT') { say('221 bye'); socket.end(); }
        else say('502 5.5.2 not here');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, mails, port: server.address().port }));
  });
}
