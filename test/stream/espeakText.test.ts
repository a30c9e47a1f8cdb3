// What eSpeak NG is given: safe SSML, split into sentences, each with its language's voice, names respelled.
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { applyLexicon, escapeSsml, sentencesOf, voices } from "../../src/stream/speech/espeakText.js"

describe("text for eSpeak NG", () => {
  it("escapes every markup character of a name or an address", () => {
    expect(escapeSsml(`Tom & Jerry's <b>"Dhaba"</b>`)).toBe(
      "Tom &amp; Jerry&apos;s &lt;b&gt;&quot;Dhaba&quot;&lt;/b&gt;",
    )
  })

  it("leaves no markup in any text it is given", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const safe = escapeSsml(text)
        expect(safe).not.toMatch(/[<>"']/)
        expect(safe.replace(/&(amp|lt|gt|quot|apos);/g, "")).not.toContain("&")
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the property is that none is left
        expect(safe).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
      }),
    )
  })

  it("respells the words the engine says wrongly, whatever their case, and only whole words", () => {
    expect(applyLexicon("Welcome to Mangwale. MANGWALE!")).toBe("Welcome to Mung waa lay. Mung waa lay!")
    expect(applyLexicon("Mangwalers")).toBe("Mangwalers")
  })

  it("splits a prompt into sentences at full stops, question marks and the danda", () => {
    expect(sentencesOf("नमस्ते रमेश। नया ऑर्डर। क्या आप तैयार हैं?", "hi").map((s) => s.text)).toEqual([
      "नमस्ते रमेश।",
      "नया ऑर्डर।",
      "क्या आप तैयार हैं?",
    ])
    expect(sentencesOf("Hello. Press one, or two!  ", "en").map((s) => s.text)).toEqual([
      "Hello.",
      "Press one, or two!",
    ])
  })

  it("gives every sentence its language's voice and rate", () => {
    for (const language of ["en", "hi"] as const) {
      for (const s of sentencesOf("One. Two. Three.", language)) {
        expect(s).toMatchObject(voices[language])
      }
    }
  })
})
