// vitest's settings for Unleash's own end-to-end tests of the password API (make unleash-e2e):
// run from the root of an unleash-server package (pristine for the control, patched for Unlatch),
// with Unleash's own global set-up (a migrated template database that each test file copies).
// Plain object: vitest itself lives in .tools/, not beside this file.
export const FILES = [
    'dist/test/e2e/api/auth/reset-password-controller.e2e.test.js',
    'dist/test/e2e/api/auth/simple-password-provider.e2e.test.js',
    'dist/test/e2e/api/admin/user-admin.e2e.test.js',
];

export default {
    test: {
        include: FILES,
        // Unleash's tests use vitest's globals (describe, test, expect) without importing them.
        globals: true,
        globalSetup: ['dist/test-setup.js'],
        testTimeout: 60_000,
        hookTimeout: 120_000,
        reporters: ['default', 'json'],
        outputFile: { json: process.env.UNLEASH_E2E_RESULTS },
    },
};
