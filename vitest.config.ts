import { configDefaults, defineConfig } from 'vitest/config';

// Consumer pact tests write contracts/pacts/; they run in `npm run contracts` (before provider verification),
// which sets EVENTKIT_PACT_CONSUMERS=1, and not again in the general suite.
const pactConsumers = 'test/contracts/consumers/**';

// The checkout runs eventkit's sources: its own entry points (`eventkit/runtime`, `#html/jsx-runtime`) resolve
// to src/ under the `eventkit-source` condition, in vite's resolver and in Node's (workers the tests start).
const sourceCondition = 'eventkit-source';

export default defineConfig({
  resolve: { conditions: [sourceCondition, 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: [sourceCondition, 'module', 'node', 'development|production'] } },
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
    // Suites that start servers and clusters on 2 shared cores can lose a race to the scheduler; a real
    // regression fails every attempt, a starved timer passes the second time.
    retry: 1,
    poolOptions: { forks: { execArgv: [`--conditions=${sourceCondition}`] } },
    reporters: ['default'],
  },
});
