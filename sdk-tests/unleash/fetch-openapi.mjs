// Fetches Unleash's own OpenAPI document from a running Unleash and writes it to a file:
//   node sdk-tests/unleash/fetch-openapi.mjs <unleash-server package dir> <output.json>
// Run beside a throwaway PostgreSQL (scripts/with-postgres.sh, which exports UNLATCH_TEST_PG_URL):
// it creates a database of its own there, starts Unleash in this process on a free port with that
// database, reads GET /docs/openapi.json, checks it is an OpenAPI 3 document of the version asked
// for, and stops Unleash. Nothing of Unleash's is kept in the repository: the document goes to the
// git-ignored .tools/ (see the Makefile's unleash-openapi target).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageDir, output] = process.argv.slice(2);
if (!packageDir || !output) {
  console.error('usage: fetch-openapi.mjs <unleash-server package dir> <output.json>');
  process.exit(2);
}
const pgUrl = process.env.UNLATCH_TEST_PG_URL;
if (!pgUrl) {
  console.error('UNLATCH_TEST_PG_URL is not set: run me under scripts/with-postgres.sh');
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

// a database of Unleash's own in the throwaway cluster
const database = 'unleash_openapi';
execFileSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `DROP DATABASE IF EXISTS ${database}`, '-c', `CREATE DATABASE ${database}`], {
  stdio: 'inherit',
});
const url = new URL(pgUrl);
url.pathname = `/${database}`;

const version = JSON.parse(execFileSync('node', ['-p', `JSON.stringify(require(${JSON.stringify(path.resolve(packageDir, 'package.json'))}).version)`]).toString());
const port = await freePort();
const unleashModule = await import(pathToFileURL(path.resolve(packageDir, 'dist/lib/server-impl.js')).href);
const unleash = await unleashModule.start({
  databaseUrl: url.toString(),
  db: { ssl: false },
  server: { port, host: '127.0.0.1' },
  // the document is public (no login needed); nothing else of Unleash is used here
  logLevel: 'warn',
});
let exitCode = 0;
try {
  const response = await fetch(`http://127.0.0.1:${port}/docs/openapi.json`);
  if (response.status !== 200) throw new Error(`GET /docs/openapi.json answered ${response.status}`);
  const spec = await response.json();
  if (!String(spec.openapi).startsWith('3.')) throw new Error(`not an OpenAPI 3 document: openapi=${spec.openapi}`);
  if (spec.info?.version !== version) throw new Error(`the document is of Unleash ${spec.info?.version}, not ${version}`);
  writeFileSync(output, JSON.stringify(spec, null, 2));
  console.log(`Unleash ${version}'s OpenAPI document (${Object.keys(spec.paths).length} paths) written to ${output}`);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await unleash.stop();
}
process.exit(exitCode);
