// What a scheduled call or an agentless campaign's call does once answered: it speaks its message (the purpose's
// script from the seed's templates, or the campaign's rendered message) and its closing, and hangs up; a feedback
// request asks for a rating from 1 to 5 on the keypad first. `*` repeats the message. Pure: state and event in,
// state and commands out; the session (ScriptedCallSession) speaks, waits and hangs up.
import { type CallPurpose, callPurposes } from "../domain/CallPurpose.js"
import { callScript } from "../domain/CallScripts.js"
import type { Language } from "../domain/VoiceCall.js"
import { amountsInWords } from "../policy/spokenNumbers.js"
import { spokenValue } from "../policy/spokenValues.js"

export interface CallMessage {
  readonly purpose: CallPurpose
  /** The language every line is said in, and the voice that says it. */
  readonly language: Language
  /** The greeting and the body, as one prompt, with every number in words. */
  readonly message: string
  readonly closing: string
  readonly asksRating: boolean
}

export interface ScriptedCallState {
  readonly phase: "speaking" | "asking" | "ending"
  /** Times the rating question was asked again after no or a wrong key. */
  readonly reprompts: number
  readonly rating: number | null
}

export type ScriptedCallEvent =
  | { readonly _tag: "Answered" }
  | { readonly _tag: "Digit"; readonly digit: string }
  | { readonly _tag: "Silence" }

export type ScriptedCallCommand =
  | { readonly _tag: "Speak"; readonly text: string }
  /** Wait this long, from the end of what is being said, for a key; then Silence. */
  | { readonly _tag: "AwaitDigit"; readonly seconds: number }
  /** Hang up once what is being said has been heard. */
  | { readonly _tag: "EndCall" }

export const maxReprompts = 2
export const ratingSeconds = 6
export const ratingReprompt: Record<Language, string> = {
  en: "Please press a number from one to five.",
  hi: "कृपया एक से पाँच के बीच कोई नंबर दबाएँ।",
}

/**
 * The lines of scripted calls whose words never change, in both languages: every purpose's closing (said alone
 * after a rating, and as the last sentences of every other message) and the rating question asked again. Worth
 * rendering ahead, as the voice flows' static prompts are.
 */
export const staticScriptedLines = (): ReadonlyArray<{
  readonly text: string
  readonly language: Language
}> =>
  (["hi", "en"] as const).flatMap((language) =>
    [
      ...new Set([
        ...callPurposes.map((p) => callScript(p, language).closingScript),
        ratingReprompt[language],
      ]),
    ].map((text) => ({ text, language })),
  )

export const initialScriptedState: ScriptedCallState = { phase: "speaking", reprompts: 0, rating: null }

type Step = { readonly state: ScriptedCallState; readonly commands: ReadonlyArray<ScriptedCallCommand> }

const ending = (state: ScriptedCallState, text: string, rating: number | null): Step => ({
  state: { ...state, phase: "ending", rating },
  commands: [{ _tag: "Speak", text }, { _tag: "EndCall" }],
})

const speakMessage = (call: CallMessage, state: ScriptedCallState): Step =>
  call.asksRating
    ? {
        state: { ...state, phase: "asking" },
        commands: [
          { _tag: "Speak", text: call.message },
          { _tag: "AwaitDigit", seconds: ratingSeconds },
        ],
      }
    : ending(state, `${call.message} ${call.closing}`, null)

const ratingOf = (digit: string): number | null => (/^[1-5]$/.test(digit) ? Number(digit) : null)

export const transition = (call: CallMessage, state: ScriptedCallState, event: ScriptedCallEvent): Step => {
  if (state.phase === "ending") return { state, commands: [] }
  switch (event._tag) {
    case "Answered":
      return speakMessage(call, state)
    case "Digit": {
      if (event.digit === "*") return speakMessage(call, state)
      if (state.phase !== "asking") return { state, commands: [] }
      const rating = ratingOf(event.digit)
      if (rating !== null) return ending(state, call.closing, rating)
      return reprompt(call, state)
    }
    case "Silence":
      return state.phase === "asking" ? reprompt(call, state) : { state, commands: [] }
  }
}

const reprompt = (call: CallMessage, state: ScriptedCallState): Step =>
  state.reprompts >= maxReprompts
    ? ending(state, call.closing, null)
    : {
        state: { ...state, reprompts: state.reprompts + 1 },
        commands: [
          { _tag: "Speak", text: ratingReprompt[call.language] },
          { _tag: "AwaitDigit", seconds: ratingSeconds },
        ],
      }

/**
 * The purpose's script in the call's language with the call's variables filled in, each said as that language
 * says it (spokenValues.ts); a placeholder nobody gave a value is left out rather than read aloud. A campaign's
 * own rendered message, when it has one, replaces the script's body: it is in the words its author wrote.
 */
export const callMessageFor = (
  purpose: CallPurpose,
  language: Language,
  variables: Readonly<Record<string, string>>,
  ownMessage: string | null,
): CallMessage => {
  const script = callScript(purpose, language)
  const spoken = (text: string) =>
    amountsInWords(
      text.replace(/(₹\s?)?\{([A-Za-z0-9_]+)\}/g, (_, rupee: string | undefined, name: string) => {
        const value = Object.hasOwn(variables, name) ? variables[name] : undefined
        return value === undefined ? "" : spokenValue(name, value, language, rupee !== undefined)
      }),
      language,
    )
      // Braces a value brought with it are not read aloud either.
      .replace(/\{[A-Za-z0-9_]+\}/g, "")
      .replace(/\s+([.,!?।])/g, "$1")
      .replace(/([,:])(?=[,.!?।])/g, "")
      .replace(/\s{2,}/g, " ")
      .trim()
  const body =
    ownMessage !== null && ownMessage.trim().length > 0 ? spoken(ownMessage) : spoken(script.script)
  return {
    purpose,
    language,
    message: `${spoken(script.greeting)} ${body}`.trim(),
    closing: spoken(script.closingScript),
    asksRating: purpose === "feedback_request" && ownMessage === null,
  }
}
