import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Fixture builds and CLI runs read many files; the default 5 s is tight on a loaded 2-core CI.
    testTimeout: 30_000,
    globalSetup: ['tests/temp-root.ts'],
  },
});
