import { configDefaults, defineConfig } from 'vitest/config';

// Consumer pact tests write contracts/pacts/; they run in `npm run contracts` (before provider verification),
// which sets EVENTKIT_PACT_CONSUMERS=1, and not again in the general suite.
const pactConsumers = 'test/contracts/consumers/**';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      '**/__transpiled/**',
      ...(process.env.EVENTKIT_PACT_CONSUMERS === '1' ? [] : [pactConsumers]),
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
