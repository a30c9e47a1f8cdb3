// What a placed call should say when its stream connects — read from the scheduled call or the campaign contact
// behind it — and what it came to (call_script_results).
import { SqlClient } from "@effect/sql"
import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import { CallPurpose } from "../domain/CallPurpose.js"
import { Language } from "../domain/VoiceCall.js"

/** A scheduled call's or a campaign contact's call, as its script needs it. */
export interface ScriptSource {
  readonly callId: string
  readonly purpose: CallPurpose
  /** The scheduled call's or the campaign's language. */
  readonly language: Language
  /** The scheduled call's context, or the contact's name and metadata: what fills `{placeholders}`. */
  readonly variables: Readonly<Record<string, string>>
  /** A campaign's template, rendered for this contact; null for scheduled calls and template-less campaigns. */
  readonly ownMessage: string | null
}

export interface ScriptResult {
  readonly callId: string
  readonly purpose: CallPurpose
  readonly endedBy: "gateway" | "callee"
  readonly rating: number | null
  readonly keys: string
}

export interface ScriptedCallsRepoShape {
  /** None when the call is not a scheduled or campaign call this gateway placed. */
  readonly sourceOf: (callId: string) => Effect.Effect<Option.Option<ScriptSource>>
  /** Written once per call; a session restarted after a crash that ends again overwrites it. */
  readonly saveResult: (result: ScriptResult) => Effect.Effect<void>
  readonly resultOf: (callId: string) => Effect.Effect<Option.Option<ScriptResult>>
}

export class ScriptedCallsRepo extends Context.Tag("ScriptedCallsRepo")<
  ScriptedCallsRepo,
  ScriptedCallsRepoShape
>() {}

const SourceRow = Schema.Struct({
  id: Schema.String,
  purpose: Schema.NullOr(Schema.String),
  scheduledPurpose: Schema.NullOr(Schema.String),
  language: Schema.NullOr(Schema.String),
  context: Schema.NullOr(Schema.Unknown),
  contactName: Schema.NullOr(Schema.String),
  contactMetadata: Schema.NullOr(Schema.Unknown),
  contactMessage: Schema.NullOr(Schema.String),
})

const ResultRow = Schema.Struct({
  callId: Schema.String,
  purpose: CallPurpose,
  endedBy: Schema.Literal("gateway", "callee"),
  rating: Schema.NullOr(Schema.Number),
  keys: Schema.String,
})

const decodeSource = Schema.decodeUnknownOption(SourceRow)
const decodeResult = Schema.decodeUnknownOption(ResultRow)
const decodePurpose = Schema.decodeUnknownOption(CallPurpose)
const decodeLanguage = Schema.decodeUnknownOption(Language)

/** Strings and numbers of a JSON object, as text; nested values are not something a script can say. */
const textValues = (value: unknown): Record<string, string> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {}
  const out: Record<string, string> = {}
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[key] = String(v)
  }
  return out
}

export const ScriptedCallsRepoLive = Layer.effect(
  ScriptedCallsRepo,
  Effect.map(SqlClient.SqlClient, (sql) =>
    ScriptedCallsRepo.of({
      // A scheduled call's attempt is the calls row `<scheduled id>-a<n>`; a campaign contact names the call it
      // is dialling.
      sourceOf: (callId) =>
        sql`
          SELECT c.id, c.purpose, s.purpose AS scheduled_purpose, s.context,
                 COALESCE(s.language, cp.language) AS language,
                 cc.name AS contact_name, cc.metadata AS contact_metadata, cc.message AS contact_message
          FROM calls c
          LEFT JOIN scheduled_calls s
            ON c.kind = 'scheduled' AND s.id = substring(c.id from '^(.+)-a[0-9]+$')
          LEFT JOIN campaign_contacts cc ON c.kind = 'campaign' AND cc.current_call_id = c.id
          LEFT JOIN campaigns cp ON cp.id = cc.campaign_id
          WHERE c.id = ${callId} AND c.kind IN ('scheduled', 'campaign')`.pipe(
          Effect.orDie,
          Effect.map((rows) =>
            Option.flatMap(Option.flatMap(Option.fromNullable(rows[0]), decodeSource), (row) =>
              Option.map(
                decodePurpose(row.scheduledPurpose ?? row.purpose ?? "custom"),
                (purpose): ScriptSource => ({
                  callId: row.id,
                  purpose,
                  // Rows from before calls had a language were all spoken in English.
                  language: Option.getOrElse(decodeLanguage(row.language), () => "en" as const),
                  variables:
                    row.context !== null
                      ? textValues(row.context)
                      : {
                          ...textValues(row.contactMetadata),
                          ...(row.contactName === null ? {} : { name: row.contactName }),
                        },
                  ownMessage: row.contactMessage,
                }),
              ),
            ),
          ),
        ),
      saveResult: (r) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          sql`
            INSERT INTO call_script_results (call_id, purpose, ended_by, rating, keys, at)
            VALUES (${r.callId}, ${r.purpose}, ${r.endedBy}, ${r.rating}, ${r.keys.slice(-40)}, ${new Date(now)})
            ON CONFLICT (call_id) DO UPDATE SET
              ended_by = EXCLUDED.ended_by, rating = EXCLUDED.rating, keys = EXCLUDED.keys, at = EXCLUDED.at`.pipe(
            Effect.asVoid,
            Effect.orDie,
          ),
        ),
      resultOf: (callId) =>
        sql`SELECT call_id, purpose, ended_by, rating, keys FROM call_script_results WHERE call_id = ${callId}`.pipe(
          Effect.orDie,
          Effect.map((rows) => Option.flatMap(Option.fromNullable(rows[0]), decodeResult)),
        ),
    }),
  ),
)
