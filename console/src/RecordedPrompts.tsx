// The recorded prompts: which prompts may be recorded and in which language, which are, an upload of a WAV file
// for one (PUT /prompts/:key/:language, the file as the body) and the removal of a recording (DELETE).
import { useEffect, useState } from "preact/hooks"
import { call, messageOf, upload } from "./api.js"

interface Recording {
  readonly key: string
  readonly language: string
  readonly durationMs: number
  readonly uploadedAt: string
}

interface Recordable {
  readonly key: string
  readonly language: string
  readonly text: string
}

interface Prompts {
  readonly prompts: ReadonlyArray<Recording>
  readonly recordable: ReadonlyArray<Recordable>
}

const slot = (p: { key: string; language: string }) => `${p.key}/${p.language}`

export const RecordedPrompts = ({ token }: { token: string }) => {
  const [prompts, setPrompts] = useState<Prompts | null>(null)
  const [chosen, setChosen] = useState("")
  const [file, setFile] = useState<File | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const load = async () => {
    const answer = await call(token, "GET", "/prompts")
    if (answer.status !== 200) return setError(messageOf(answer))
    const body = answer.body as Prompts
    setPrompts(body)
    setChosen((previous) =>
      previous === "" ? slot(body.recordable[0] ?? { key: "", language: "" }) : previous,
    )
  }
  useEffect(() => {
    void load()
  }, [token])
  const finish = async (answer: { status: number; body: unknown }, success: string) => {
    setBusy(false)
    if (answer.status >= 300) {
      setDone(null)
      return setError(messageOf(answer))
    }
    setError(null)
    setDone(success)
    await load()
  }
  const send = async () => {
    if (file === null) return setError("Choose a WAV file first")
    setBusy(true)
    await finish(await upload(token, `/prompts/${chosen}`, file, "audio/wav"), `Recorded ${chosen}`)
  }
  const remove = async (recording: Recording) => {
    setBusy(true)
    await finish(await call(token, "DELETE", `/prompts/${slot(recording)}`), `Removed ${slot(recording)}`)
  }
  const recorded = new Map((prompts?.prompts ?? []).map((p) => [slot(p), p]))
  return (
    <section class="card settings" aria-labelledby="prompts-title" data-settings="prompts">
      <h3 id="prompts-title">Recorded prompts</h3>
      <form
        class="fields"
        onSubmit={(event) => {
          event.preventDefault()
          void send()
        }}
      >
        <div class="field">
          <label for="prompt-slot">Prompt and language</label>
          <select id="prompt-slot" value={chosen} onChange={(event) => setChosen(event.currentTarget.value)}>
            {(prompts?.recordable ?? []).map((r) => (
              <option key={slot(r)} value={slot(r)}>
                {r.key} ({r.language})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="prompt-file">WAV file</label>
          <input
            id="prompt-file"
            type="file"
            accept=".wav,audio/wav"
            onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
          />
        </div>
        <div class="actions">
          <button type="submit" disabled={busy || prompts === null}>
            Upload
          </button>
          {done !== null && <span role="status">{done}</span>}
        </div>
      </form>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {prompts === null ? (
        <p class="empty">Loading…</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Prompt, and the words it replaces</th>
                <th scope="col">Recording</th>
              </tr>
            </thead>
            <tbody>
              {prompts.recordable.map((r) => {
                const recording = recorded.get(slot(r))
                return (
                  <tr key={slot(r)} data-prompt={slot(r)} data-recorded={recording !== undefined}>
                    <td class="wrap">
                      <span class="mono">{slot(r)}</span>
                      <br />
                      <small>{r.text}</small>
                    </td>
                    <td>
                      <div class="recording">
                        {recording === undefined
                          ? "synthesized"
                          : `${(recording.durationMs / 1000).toFixed(1)} s, ${new Date(recording.uploadedAt).toLocaleString()}`}
                        {recording !== undefined && (
                          <button
                            type="button"
                            class="danger"
                            disabled={busy}
                            onClick={() => void remove(recording)}
                          >
                            Delete
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
