// The call scripts in both languages: every purpose has a Hindi script in Devanagari with exactly the English
// script's placeholders, so a scheduled or campaign call fills either from the same context.
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { callPurposes } from "../../src/domain/CallPurpose.js"
import { callScript, placeholdersOf, renderCallScript } from "../../src/domain/CallScripts.js"

const parts = ["greeting", "script", "closingScript"] as const
const sorted = (names: ReadonlyArray<string>) => [...names].sort()
const withoutPlaceholders = (text: string) => text.replace(/\{[A-Za-z0-9_]+\}/g, "")

describe("the Hindi call scripts", () => {
  for (const purpose of callPurposes) {
    it(`${purpose}: the English script's placeholders, part by part, and the same limits`, () => {
      const hi = callScript(purpose, "hi")
      const en = callScript(purpose, "en")
      for (const part of parts)
        expect(sorted(placeholdersOf(hi[part]))).toEqual(sorted(placeholdersOf(en[part])))
      expect({ maxDuration: hi.maxDuration, priority: hi.priority }).toEqual({
        maxDuration: en.maxDuration,
        priority: en.priority,
      })
    })

    it(`${purpose}: in Devanagari, with no Latin word outside its placeholders (the brand is मंगवाले)`, () => {
      const hi = callScript(purpose, "hi")
      for (const part of parts) {
        const words = withoutPlaceholders(hi[part])
        expect(words, part).not.toMatch(/[A-Za-z]/)
        if (words.trim() !== "") expect(words, part).toMatch(/[\u0900-\u097F]/)
      }
      expect(hi.greeting).toContain("मंगवाले")
    })
  }

  it("are rendered with the same variables as the English ones, leaving no placeholder that was given", () =>
    fc.assert(
      fc.property(
        fc.constantFrom(...callPurposes),
        fc.dictionary(
          fc.constantFrom("orderId", "itemCount", "total", "amount", "dueDate", "offer", "code", "otp"),
          fc.stringMatching(/^[A-Za-z0-9 -]{1,10}$/),
        ),
        (purpose, variables) => {
          const rendered = renderCallScript(purpose, "hi", variables)
          const left = parts.flatMap((part) => placeholdersOf(rendered[part]))
          return left.every((name) => !Object.hasOwn(variables, name))
        },
      ),
    ))
})
