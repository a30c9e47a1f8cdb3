// `npm run test:budget`: the account's rate budget at full scale, longer than `npm test` should take. The base
// configuration's settings, with its own files (mergeConfig would add them to the base's, not replace them).
import { defineConfig } from "vitest/config"
import base from "./vitest.config.js"

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/budget/**/*.budget.ts"],
    silent: false,
    testTimeout: 15 * 60_000,
  },
})
