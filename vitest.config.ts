import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The PostgreSQL run's template database (nothing without WELFARE_DESK_TEST_PG).
    globalSetup: ['tests/helpers/pg-global-setup.ts'],
  },
});
