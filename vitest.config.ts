import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const source = (file: string) => fileURLToPath(new URL(file, import.meta.url))

export default defineConfig({
  // The examples import the package by its name, as a consumer would; tests run them against the sources
  // (the declarations they would see are checked against the built package by `npm run check:examples`).
  resolve: {
    alias: [
      { find: /^exotel-voice-gateway\/testing$/, replacement: source("./src/testing/index.ts") },
      { find: /^exotel-voice-gateway$/, replacement: source("./src/index.ts") },
    ],
  },
  test: {
    // The suite first, then each file of gateway fleets alone (three gateway processes and a PostgreSQL server
    // each): run beside the suite's own files on two cores, their failovers missed their deadlines.
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
          exclude: ["test/cluster/**"],
          globalSetup: ["test/support/globalSetup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "fleet failover",
          include: ["test/cluster/failover.test.ts"],
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "fleet callbacks",
          include: ["test/cluster/callbacks.test.ts"],
          sequence: { groupOrder: 2 },
        },
      },
    ],
    // The gateway's log lines are printed only for a test that fails: a passing run shows vitest's report alone.
    silent: "passed-only",
    // A gateway in a test runs on the TestClock, on which a bucket never refills: the suite's requests are never
    // throttled, but for the tests of the limits, which give the gateway limits of their own.
    // The suite's gateways speak tones (TTS_ENGINE=tones): eSpeak's threads would cost each of them seconds of a
    // shared core at start. The tests of speech ask for eSpeak themselves (test/voice/speech.test.ts).
    env: {
      TTS_ENGINE: "tones",
      RATE_LIMIT_ADMIN: "1000000/1000000",
      RATE_LIMIT_OPERATOR: "1000000/1000000",
      RATE_LIMIT_VIEWER: "1000000/1000000",
      RATE_LIMIT_ADDRESS: "1000000/1000000",
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on CI machines; each file starts its own database.
    maxWorkers: 2,
    minWorkers: 1,
  },
})
