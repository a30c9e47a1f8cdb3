// A sentence as the pieces a voice joins: number words on their own, the phrases around them whole.
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { promptText } from "../../src/actors/prompts.js"
import { digitsInWords, numberWords, rupeesInWords } from "../../src/policy/spokenNumbers.js"
import { spokenPieces } from "../../src/stream/speech/spokenPieces.js"

const details = {
  recipientName: null,
  orderId: 407,
  orderAmount: 450,
  itemCount: 2,
  vendorName: null,
  vendorAddress: null,
}

const texts = (sentence: string, language: "en" | "hi") =>
  spokenPieces(sentence, language).map((p) => (p.numberWord ? `#${p.text}` : p.text))

describe("spoken pieces", () => {
  it("reads an order number and an amount as number words between whole phrases", () => {
    expect(
      texts(
        "You have a new order, number four zero seven: two items, worth four hundred and fifty rupees.",
        "en",
      ),
    ).toEqual([
      "You have a new order, number",
      "#four",
      "#zero",
      "#seven",
      "two items, worth",
      "#four",
      "#hundred",
      "#and",
      "#fifty",
      "#rupees",
    ])
    expect(texts("धन्यवाद, पैंतालीस मिनट दर्ज हो गए।", "hi")).toEqual(["धन्यवाद", "#पैंतालीस", "#मिनट", "दर्ज हो गए"])
  })

  it("leaves a sentence whose numbers stand alone whole: a lone key is part of its phrase", () => {
    const menu = "Press one to accept, or two to reject."
    expect(spokenPieces(menu, "en")).toEqual([{ text: menu, numberWord: false, pauseAfter: false }])
    expect(texts("स्वीकार करने के लिए एक दबाएँ, मना करने के लिए दो।", "hi")).toHaveLength(1)
  })

  it("marks the gap a comma or a colon asks for", () => {
    const pieces = spokenPieces("Order number four zero seven: ready, two items.", "en")
    expect(pieces.find((p) => p.text === "seven")?.pauseAfter).toBe(true)
    expect(pieces.find((p) => p.text === "four")?.pauseAfter).toBe(false)
  })

  it("keeps every word of the sentence, in order, whatever the numbers", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("en" as const, "hi" as const),
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.double({ min: 0, max: 1_000_000, noNaN: true }),
        fc.integer({ min: 0, max: 50 }),
        (language, orderId, amount, itemCount) => {
          const text = promptText("vendor_offer", language, {
            ...details,
            orderId,
            orderAmount: amount,
            itemCount,
          })
          const words = (s: string) =>
            s
              .replace(/[,.:?!।]/gu, " ")
              .split(/\s+/)
              .filter((w) => w.length > 0)
          for (const sentence of text.split(/(?<=[.?!।])\s+/u)) {
            const pieces = spokenPieces(sentence, language)
            const lower = (ws: ReadonlyArray<string>) => ws.map((w) => w.toLowerCase())
            expect(lower(pieces.flatMap((p) => words(p.text)))).toEqual(lower(words(sentence)))
            for (const p of pieces) if (p.numberWord) expect(numberWords(language).has(p.text)).toBe(true)
          }
        },
      ),
    )
  })

  it("needs only the closed vocabulary for any order number and amount", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("en" as const, "hi" as const),
        fc.integer({ min: 10, max: 999_999 }),
        (language, n) => {
          const numberRun = `${digitsInWords(n, language)} ${rupeesInWords(n, language)}`
          for (const w of numberRun.split(" ")) expect(numberWords(language).has(w)).toBe(true)
        },
      ),
    )
  })
})
