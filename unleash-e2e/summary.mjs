// Compares the two runs of Unleash's end-to-end tests (make unleash-e2e): the control (Unleash
// itself) must pass every test; Unlatch must pass every test except the ones named in
// deliberate-differences.json, which are printed by name with their reason and counted. A named
// test that passes, or that the control does not run, is an error too (the list must stay true).
// The requests Unlatch answered are counted by operation (forwarded.txt, one line per request,
// written by unlatch-beside.js): none at all fails the run.
//   node summary.mjs <control.json> <unlatch.json> <deliberate-differences.json> <forwarded.txt>
import fs from 'node:fs';
import path from 'node:path';

const [controlFile, unlatchFile, differencesFile, forwardedFile] = process.argv.slice(2);

/** Every test of a vitest JSON report: "<file> > <full name>" and its status. */
function tests(file) {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    const results = new Map();
    for (const suite of report.testResults) {
        const name = suite.name.slice(suite.name.indexOf('dist/test/e2e/') + 'dist/test/e2e/'.length);
        if (suite.assertionResults.length === 0 && suite.status === 'failed') {
            results.set(`${name} (the file itself)`, { status: 'failed', messages: [suite.message] });
        }
        for (const test of suite.assertionResults) {
            results.set(`${name} > ${test.fullName}`, {
                status: test.status,
                messages: test.failureMessages ?? [],
            });
        }
    }
    return results;
}

const control = tests(controlFile);
const unlatch = tests(unlatchFile);
const differences = JSON.parse(fs.readFileSync(differencesFile, 'utf8')).tests;
const errors = [];
const count = (results, status) => [...results.values()].filter((r) => r.status === status).length;

console.log(`\nUnleash's own end-to-end tests of the password API (${path.basename(differencesFile)} names the deliberate differences)`);
console.log(`control, Unleash itself: ${count(control, 'passed')}/${control.size} passed`);
for (const [name, result] of control) {
    if (result.status !== 'passed') errors.push(`control: ${name} ${result.status}: ${result.messages[0] ?? ''}`);
}
if (control.size === 0) errors.push('control: no test ran');
for (const name of control.keys()) {
    if (!unlatch.has(name)) errors.push(`unlatch: ${name} did not run`);
}

const deliberate = [];
for (const [name, result] of unlatch) {
    const reason = differences[name];
    if (reason !== undefined) {
        if (!control.has(name)) errors.push(`${name}: named in ${differencesFile} but no such test`);
        else if (result.status === 'passed') errors.push(`${name}: named as a deliberate difference but passes at Unlatch`);
        else deliberate.push([name, reason]);
    } else if (result.status !== 'passed') {
        errors.push(`unlatch: ${name} ${result.status}:\n    ${(result.messages[0] ?? '').split('\n').slice(0, 6).join('\n    ')}`);
    }
}
for (const name of Object.keys(differences)) {
    if (!unlatch.has(name)) errors.push(`${name}: named in ${differencesFile} but not run`);
}

const forwarded = fs.existsSync(forwardedFile)
    ? fs.readFileSync(forwardedFile, 'utf8').split('\n').filter(Boolean)
    : [];
const byOperation = new Map();
for (const line of forwarded) {
    const [operation, status] = line.split(' ');
    const key = `${operation} ${status}`;
    byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
}
console.log(`requests Unlatch answered: ${forwarded.length} (operation, status: count)`);
for (const [key, n] of [...byOperation].sort()) console.log(`  ${key}: ${n}`);
if (forwarded.length === 0) errors.push('unlatch: no request reached Unlatch');

console.log(`Unlatch beside Unleash: ${count(unlatch, 'passed')}/${unlatch.size} passed`);
console.log(`tests that assert an Unleash behaviour Unlatch changes on purpose: ${deliberate.length}`);
for (const [name, reason] of deliberate) {
    console.log(`  - ${name}\n    because: ${reason}`);
}
if (errors.length > 0) {
    console.error(`\nunleash-e2e failed:\n${errors.map((e) => `  ${e}`).join('\n')}`);
    process.exit(1);
}
console.log('unleash-e2e: passed');
