// The prompts an admin may record: those whose words never change from call to call. A recording of one, in a
// language, is played instead of synthesis wherever that prompt is spoken in that language. Voice ordering's
// "not a valid choice" has invalid_input's words, so one recording serves both.
import { Schema } from "effect"

export const RecordedPromptKey = Schema.Literal(
  "prep_time_question",
  "reason_question",
  "invalid_input",
  "thanks_accepted",
  "thanks_rejected",
  "thanks_pickup",
  "goodbye_no_input",
  "ordering_menu",
  "ordering_no_input",
  "ordering_needs_an_item",
  "ordering_cancelled",
  "ordering_not_open",
  "ordering_goodbye",
)
export type RecordedPromptKey = typeof RecordedPromptKey.Type
