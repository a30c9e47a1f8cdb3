// The prompts' words: Hindi in Devanagari, Indian English, every number said as a voice says it.
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import type { PromptKey } from "../../src/actors/callFlow.js"
import { orderLineText, staticOrderLines } from "../../src/actors/orderPrompts.js"
import { type PromptDetails, promptText, staticPrompts } from "../../src/actors/prompts.js"
import { recordablePrompts, recordablePromptText } from "../../src/actors/recordablePrompts.js"
import { RecordedPromptKey } from "../../src/domain/RecordedPrompt.js"

const offer: PromptDetails = {
  recipientName: "Ramesh",
  orderId: 40712,
  orderAmount: 450,
  itemCount: 3,
  vendorName: "Sharma Sweets",
  vendorAddress: "MG Road",
}

const keys: ReadonlyArray<PromptKey> = [
  "vendor_offer",
  "prep_time_question",
  "reason_question",
  "rider_offer",
  "pickup_question",
  "invalid_input",
  "thanks_accepted",
  "thanks_prep_time",
  "thanks_rejected",
  "thanks_pickup",
  "goodbye_no_input",
]

describe("the voice flows' prompts", () => {
  it("offer an order with its amount in words, its id digit by digit and its item count", () => {
    expect(promptText("vendor_offer", "hi", offer)).toBe(
      "नमस्ते Ramesh। आपके लिए नया ऑर्डर है, नंबर चार शून्य सात एक दो: तीन आइटम, चार सौ पचास रुपये का। स्वीकार करने के लिए एक दबाएँ, मना करने के लिए दो। दोबारा सुनने के लिए स्टार दबाएँ।",
    )
    expect(promptText("vendor_offer", "en", offer)).toBe(
      "Hello Ramesh. You have a new order, number four zero seven one two: three items, worth four hundred and fifty rupees. Press one to accept, or two to reject. Press star to hear this again.",
    )
  })

  it("read the typed preparation time back in minutes", () => {
    expect(promptText("thanks_prep_time", "en", offer, 25)).toBe(
      "Thank you, we have noted twenty five minutes.",
    )
    expect(promptText("thanks_prep_time", "hi", offer, 25)).toBe("धन्यवाद, पच्चीस मिनट दर्ज हो गए।")
  })

  it("say Hindi in Devanagari: no Latin letter but the names the details carry", () => {
    for (const key of keys) {
      const text = promptText(key, "hi", offer, 30).replace(/Ramesh|Sharma Sweets|MG Road/g, "")
      expect(text, key).not.toMatch(/[A-Za-z]/)
      expect(text, key).toMatch(/[\u0900-\u097f]/)
    }
    for (const { text, language } of staticOrderLines()) {
      if (language === "hi") expect(text).not.toMatch(/[A-Za-z]/)
    }
  })

  it("say no number as digits, whatever the details, so every engine reads them the same", () => {
    const details = fc.record({
      recipientName: fc.option(fc.constantFrom("Asha", "Ravi Kumar", " ")),
      orderId: fc.option(fc.nat({ max: 99_999_999 })),
      orderAmount: fc.option(fc.integer({ min: 0, max: 10_000_000 }).map((paise) => paise / 100)),
      itemCount: fc.option(fc.nat({ max: 500 })),
      vendorName: fc.option(fc.constantFrom("Dhaba", "Cafe Coffee")),
      vendorAddress: fc.option(fc.constantFrom("MG Road", "Sector Market")),
    })
    fc.assert(
      fc.property(
        details,
        fc.constantFrom(...keys),
        fc.constantFrom("en" as const, "hi" as const),
        (d, key, lang) => {
          const text = promptText(key, lang, d, 45)
          expect(text).not.toMatch(/[0-9]/)
          expect(text).not.toMatch(/\s{2}|\s[.,:।]|null|undefined/)
        },
      ),
    )
  })

  it("list the static prompts of both languages, each once", () => {
    const all = staticPrompts()
    expect(new Set(all.map((p) => `${p.language}:${p.text}`)).size).toBe(all.length)
    expect(all.filter((p) => p.language === "hi").length).toBe(all.filter((p) => p.language === "en").length)
  })
})

describe("the voice-ordering lines", () => {
  it("read an order back with quantities and the total in words", () => {
    const line = {
      _tag: "ReadBack",
      items: [
        { name: "Paneer Tikka", quantity: 2, price: 180 },
        { name: "Naan", quantity: 4, price: 22.5 },
      ],
      total: 450,
    } as const
    expect(orderLineText(line, "en")).toBe(
      "Your order: two Paneer Tikka, four Naan. The total is four hundred and fifty rupees.",
    )
    expect(orderLineText(line, "hi")).toBe("आपका ऑर्डर: दो Paneer Tikka, चार Naan। कुल चार सौ पचास रुपये।")
  })
})

describe("the recordable prompts", () => {
  it("have the words a call says, whatever its details, so a recording is found by them", () => {
    const flowKeys = [
      "prep_time_question",
      "reason_question",
      "invalid_input",
      "thanks_accepted",
      "thanks_rejected",
      "thanks_pickup",
      "goodbye_no_input",
    ] as const
    for (const language of ["hi", "en"] as const) {
      for (const key of flowKeys)
        expect(promptText(key, language, offer, 30)).toBe(recordablePromptText(key, language))
      expect(orderLineText({ _tag: "Menu" }, language)).toBe(recordablePromptText("ordering_menu", language))
      // One recording serves both: voice ordering's "not a valid choice" has the voice flows' words.
      expect(orderLineText({ _tag: "Invalid" }, language)).toBe(
        recordablePromptText("invalid_input", language),
      )
    }
    const all = recordablePrompts()
    expect(all).toHaveLength(RecordedPromptKey.literals.length * 2)
    expect(new Set(all.map((p) => `${p.language}:${p.text}`)).size).toBe(all.length)
  })
})
