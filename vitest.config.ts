import { defineConfig } from 'vitest/config';

// The PostgreSQL run (scripts/with-postgres.mjs) makes more round trips per call: the long loops
// (ID-walking attacks, 28 MB payloads) get more time there.
const slow = process.env.WELFARE_DESK_TEST_PG ? 3 : 1;

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000 * slow,
    hookTimeout: 30_000 * slow,
    pool: 'forks',
    // The PostgreSQL run's template database (nothing without WELFARE_DESK_TEST_PG).
    globalSetup: ['tests/helpers/pg-global-setup.ts'],
  },
});
