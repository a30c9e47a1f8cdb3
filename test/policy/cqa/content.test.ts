import { describe, expect, it } from "@effect/vitest"
import { checkCompliance, findPhrase, type TranscriptSegment } from "../../../src/policy/cqa/phrases.js"
import { complianceRulesFor, defaultCqaRules, rulesFromSettings } from "../../../src/policy/cqa/rules.js"
import { sentimentOf } from "../../../src/policy/cqa/sentiment.js"

const segment = (startSeconds: number, endSeconds: number, text: string): TranscriptSegment => ({
  startSeconds,
  endSeconds,
  speaker: null,
  text,
})

describe("sentiment", () => {
  it("English: a pleased customer is positive, an angry one negative (AFINN-165)", () => {
    expect(sentimentOf("Thank you, the food was great and the rider was very helpful").label).toBe("positive")
    const angry = sentimentOf("This is terrible, the order is wrong and I am angry")
    expect(angry.label).toBe("negative")
    expect(angry.lexicons).toEqual(["afinn-165-en"])
  })

  it("Hindi in Devanagari: खाना बहुत अच्छा था is positive, बकवास सर्विस negative", () => {
    expect(sentimentOf("खाना बहुत अच्छा था, धन्यवाद")).toMatchObject({ label: "positive", lexicons: ["hindi"] })
    expect(sentimentOf("बकवास सर्विस, खाना ठंडा और खराब था")).toMatchObject({
      label: "negative",
      lexicons: ["hindi"],
    })
  })

  it("Hinglish in Latin letters, with Hindi's negation after the word", () => {
    expect(sentimentOf("khana bahut badhiya tha, shukriya").label).toBe("positive")
    expect(sentimentOf("khana accha nahi tha, bahut der ho gayi").label).toBe("negative")
    expect(sentimentOf("delivery was awesome bhai, mast").lexicons).toEqual(["afinn-165-en", "hindi"])
  })

  it("a call with no opinion is neutral", () => {
    expect(sentimentOf("the order number is four five six").label).toBe("neutral")
  })
})

describe("phrases in a transcript", () => {
  const call = [
    segment(0, 4, "Hello, this is Ravi from QuickBite. This call is recorded for quality."),
    segment(4, 10, "My order is late and the food is cold, I want a refund"),
    segment(10, 20, "Sorry sir, I will process the refund now"),
  ]

  it("finds a phrase on word boundaries, case and punctuation aside, with its segment and a time inside it", () => {
    expect(findPhrase(call, "refund").map((h) => [h.segment, h.startSeconds, h.endSeconds])).toEqual([
      [1, 4, 10],
      [2, 10, 20],
    ])
    expect(findPhrase(call, "old")).toEqual([])
    const [hit] = findPhrase(call, "this call is recorded")
    expect(hit?.atSeconds).toBeGreaterThan(0)
    expect(hit?.atSeconds).toBeLessThan(4)
  })

  it("compliance passes when the greeting and the recording notice are said", () => {
    const report = checkCompliance(call, complianceRulesFor(defaultCqaRules, null))
    expect(report).toMatchObject({ passed: true, missing: [], violations: [] })
  })

  it("a missing recording notice fails compliance and is named; a forbidden phrase is placed in time", () => {
    const report = checkCompliance(
      [segment(0, 3, "Namaste ji"), segment(3, 9, "Shut up and listen")],
      complianceRulesFor(defaultCqaRules, null),
    )
    expect(report.passed).toBe(false)
    expect(report.missing).toEqual(["recording_notice"])
    expect(report.violations[0]).toMatch(/required phrase "recording_notice" was not said/)
    expect(report.forbidden).toMatchObject([
      { keyword: "shut up", count: 1, hits: [{ segment: 1, startSeconds: 3 }] },
    ])
  })

  it("a purpose adds its own lines to the defaults, read from the settings' JSON", () => {
    const { rules, problems } = rulesFromSettings(
      new Map([
        [
          "exotel-cqa-required-phrases",
          JSON.stringify({ order_confirmation: { order_readback: ["your order"] } }),
        ],
        ["exotel-cqa-keywords", "not json"],
      ]),
    )
    expect(problems).toEqual([expect.stringMatching(/exotel-cqa-keywords/)])
    expect(rules.keywords).toEqual(defaultCqaRules.keywords)
    expect(complianceRulesFor(rules, "order_confirmation").required.map((r) => r.name)).toEqual([
      "order_readback",
    ])
    expect(complianceRulesFor(defaultCqaRules, "order_confirmation").required.map((r) => r.name)).toEqual([
      "greeting",
      "recording_notice",
    ])
  })
})
