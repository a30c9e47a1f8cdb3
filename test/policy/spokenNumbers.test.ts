// Numbers as the prompts say them, in Hindi and Indian English: a table of known readings and the properties
// that keep every other number honest.
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  amountsInWords,
  digitsInWords,
  minutesInWords,
  numberInWords,
  rupeesInWords,
} from "../../src/policy/spokenNumbers.js"

describe("numbers in words", () => {
  it.each([
    [0, "zero", "शून्य"],
    [7, "seven", "सात"],
    [15, "fifteen", "पंद्रह"],
    [25, "twenty five", "पच्चीस"],
    [49, "forty nine", "उनचास"],
    [99, "ninety nine", "निन्यानबे"],
    [100, "one hundred", "एक सौ"],
    [105, "one hundred and five", "एक सौ पाँच"],
    [450, "four hundred and fifty", "चार सौ पचास"],
    [1_000, "one thousand", "एक हज़ार"],
    [1_005, "one thousand and five", "एक हज़ार पाँच"],
    [2_350, "two thousand three hundred and fifty", "दो हज़ार तीन सौ पचास"],
    [99_999, "ninety nine thousand nine hundred and ninety nine", "निन्यानबे हज़ार नौ सौ निन्यानबे"],
    [150_000, "one lakh fifty thousand", "एक लाख पचास हज़ार"],
    [
      12_345_678,
      "one crore twenty three lakh forty five thousand six hundred and seventy eight",
      "एक करोड़ तेईस लाख पैंतालीस हज़ार छह सौ अठहत्तर",
    ],
  ])("%d is %s, %s", (n, en, hi) => {
    expect(numberInWords(n, "en")).toBe(en)
    expect(numberInWords(n, "hi")).toBe(hi)
  })

  it("says no two numbers alike, in either language", () => {
    fc.assert(
      fc.property(fc.nat({ max: 99_999_999 }), fc.nat({ max: 99_999_999 }), (a, b) => {
        fc.pre(a !== b)
        expect(numberInWords(a, "en")).not.toBe(numberInWords(b, "en"))
        expect(numberInWords(a, "hi")).not.toBe(numberInWords(b, "hi"))
      }),
    )
  })

  it("leaves no digit, no empty word and no stray space in what it says", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 999_999_999_999 }),
        fc.constantFrom("en" as const, "hi" as const),
        (n, lang) => {
          const words = numberInWords(n, lang)
          expect(words).not.toMatch(/[0-9]/)
          expect(words).toBe(words.trim())
          expect(words).not.toMatch(/\s{2}/)
          expect(words).not.toMatch(/undefined/)
        },
      ),
    )
  })

  it("gives every Hindi number below a hundred a word of its own", () => {
    const words = new Set(Array.from({ length: 100 }, (_, n) => numberInWords(n, "hi")))
    expect(words.size).toBe(100)
    for (const w of words) expect(w).not.toContain(" ")
  })
})

describe("amounts, ids and minutes", () => {
  it("says an amount in rupees, and paise when it has them", () => {
    expect(rupeesInWords(450, "en")).toBe("four hundred and fifty rupees")
    expect(rupeesInWords(450, "hi")).toBe("चार सौ पचास रुपये")
    expect(rupeesInWords(1, "en")).toBe("one rupee")
    expect(rupeesInWords(1, "hi")).toBe("एक रुपया")
    expect(rupeesInWords(450.5, "en")).toBe("four hundred and fifty rupees and fifty paise")
    expect(rupeesInWords(450.5, "hi")).toBe("चार सौ पचास रुपये पचास पैसे")
    expect(rupeesInWords(0.01, "en")).toBe("one paisa")
    expect(rupeesInWords(0, "en")).toBe("zero rupees")
  })

  it("reads an order id digit by digit", () => {
    expect(digitsInWords(40_712, "en")).toBe("four zero seven one two")
    expect(digitsInWords("40712", "hi")).toBe("चार शून्य सात एक दो")
    expect(digitsInWords("ORD-12", "en")).toBe("one two")
  })

  it("reads every digit of any id as one word", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,12}$/),
        fc.constantFrom("en" as const, "hi" as const),
        (id, lang) => {
          expect(digitsInWords(id, lang).split(" ")).toHaveLength(id.length)
        },
      ),
    )
  })

  it("says a preparation time in minutes", () => {
    expect(minutesInWords(25, "en")).toBe("twenty five minutes")
    expect(minutesInWords(1, "en")).toBe("one minute")
    expect(minutesInWords(25, "hi")).toBe("पच्चीस मिनट")
    expect(minutesInWords(120, "hi")).toBe("एक सौ बीस मिनट")
  })
})

describe("amounts in a call script", () => {
  it.each([
    [
      "Your order totaling ₹450 has been placed.",
      "Your order totaling four hundred and fifty rupees has been placed.",
    ],
    [
      "A payment of Rs. 1,250.50 is due.",
      "A payment of one thousand two hundred and fifty rupees and fifty paise is due.",
    ],
    ["Worth ₹1,50,000!", "Worth one lakh fifty thousand rupees!"],
    ["INR 99 only, code SAVE20.", "ninety nine rupees only, code SAVE20."],
    ["Call 9876543210 for help.", "Call 9876543210 for help."],
  ])("%s → %s", (text, spoken) => {
    expect(amountsInWords(text, "en")).toBe(spoken)
  })

  it("says them in Hindi too", () => {
    expect(amountsInWords("कुल ₹450", "hi")).toBe("कुल चार सौ पचास रुपये")
  })
})
