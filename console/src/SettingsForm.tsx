// A settings group the API reads with GET and changes with PUT of the same fields (timing, retry). The inputs are
// plain text, so the API alone judges a value and the admin reads its refusal as it wrote it.
import { useEffect, useState } from "preact/hooks"
import { call, messageOf } from "./api.js"

export interface Field {
  readonly name: string
  readonly label: string
  /** number: sent as a number when it reads as one, else as typed, for the API to refuse by name. */
  readonly kind: "text" | "number" | "boolean" | "dates"
  readonly hint?: string
}

type Draft = Record<string, string | boolean>

const draftOf = (fields: ReadonlyArray<Field>, values: Record<string, unknown>): Draft =>
  Object.fromEntries(
    fields.map((f) => {
      const value = values[f.name]
      if (f.kind === "boolean") return [f.name, value === true]
      if (f.kind === "dates") return [f.name, Array.isArray(value) ? value.join(", ") : ""]
      return [f.name, value === undefined || value === null ? "" : String(value)]
    }),
  )

const bodyOf = (fields: ReadonlyArray<Field>, draft: Draft) =>
  Object.fromEntries(
    fields.map((f) => {
      const value = draft[f.name]
      if (f.kind === "boolean") return [f.name, value === true]
      const text = typeof value === "string" ? value.trim() : ""
      if (f.kind === "dates") return [f.name, text.split(/[\s,]+/).filter((d) => d !== "")]
      if (f.kind === "number" && text !== "" && Number.isFinite(Number(text))) return [f.name, Number(text)]
      return [f.name, text]
    }),
  )

export const SettingsForm = ({
  token,
  id,
  title,
  path,
  fields,
}: {
  token: string
  id: string
  title: string
  path: string
  fields: ReadonlyArray<Field>
}) => {
  const [draft, setDraft] = useState<Draft | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    void call(token, "GET", path).then((answer) =>
      answer.status === 200
        ? setDraft(draftOf(fields, answer.body as Record<string, unknown>))
        : setError(messageOf(answer)),
    )
  }, [token, path])
  const save = async () => {
    if (draft === null) return
    setBusy(true)
    setSaved(false)
    const answer = await call(token, "PUT", path, bodyOf(fields, draft))
    setBusy(false)
    if (answer.status !== 200) return setError(messageOf(answer))
    setError(null)
    setSaved(true)
    setDraft(draftOf(fields, answer.body as Record<string, unknown>))
  }
  const edit = (name: string, value: string | boolean) => {
    setSaved(false)
    setDraft((previous) => (previous === null ? previous : { ...previous, [name]: value }))
  }
  return (
    <form
      class="card settings"
      aria-labelledby={`${id}-title`}
      data-settings={id}
      onSubmit={(event) => {
        event.preventDefault()
        void save()
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      {draft === null ? (
        <p class="empty">Loading…</p>
      ) : (
        <div class="fields">
          {fields.map((f) => {
            const inputId = `${id}-${f.name}`
            const value = draft[f.name]
            return f.kind === "boolean" ? (
              <label key={f.name} class="check" for={inputId}>
                <input
                  id={inputId}
                  type="checkbox"
                  checked={value === true}
                  onChange={(event) => edit(f.name, event.currentTarget.checked)}
                />
                {f.label}
              </label>
            ) : (
              <div key={f.name} class="field">
                <label for={inputId}>{f.label}</label>
                <input
                  id={inputId}
                  type="text"
                  inputMode={f.kind === "number" ? "decimal" : "text"}
                  autocomplete="off"
                  value={typeof value === "string" ? value : ""}
                  onInput={(event) => edit(f.name, event.currentTarget.value)}
                  {...(f.hint === undefined ? {} : { placeholder: f.hint })}
                />
              </div>
            )
          })}
        </div>
      )}
      <div class="actions">
        <button type="submit" disabled={draft === null || busy}>
          Save {title.toLowerCase()}
        </button>
        {saved && <span role="status">Saved</span>}
      </div>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  )
}
