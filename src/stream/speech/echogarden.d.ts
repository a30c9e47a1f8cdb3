// The slice of two Emscripten builds that the speech thread (espeakWorker.mjs) uses. Both packages are ESM
// only and ship no declarations; these are written from their exports, not generated.
declare module "@echogarden/espeak-ng-emscripten" {
  export interface ESpeakNGWorker {
    /** An eSpeak NG voice id ("en", "hi"): global state, so set it before every sentence. */
    set_voice(voice: string): void
    /** Words per minute (80–450): global state too. */
    set_rate(rate: number): void
    set_pitch(pitch: number): void
    set_range(range: number): void
    /** Always 22,050. */
    get_samplerate(): number
    /** Reads `text` as SSML; `onAudio` is called with views into the engine's memory, valid only during the call. */
    synthesize(
      text: string,
      onAudio: (samples: Int16Array | null, events: ReadonlyArray<unknown>) => void,
    ): void
  }
  export interface ESpeakNGModule {
    readonly eSpeakNGWorker: new () => ESpeakNGWorker
  }
  /** Loads the engine and its data file (espeak-ng.data, found next to this module). */
  const initialize: () => Promise<ESpeakNGModule>
  export default initialize
}

declare module "@echogarden/speex-resampler-wasm" {
  export interface SpeexResamplerModule {
    readonly HEAP16: Int16Array
    readonly HEAP32: Int32Array
    _malloc(bytes: number): number
    _free(pointer: number): void
    _speex_resampler_init(
      channels: number,
      inRate: number,
      outRate: number,
      quality: number,
      err: number,
    ): number
    _speex_resampler_destroy(state: number): void
    _speex_resampler_reset_mem(state: number): number
    _speex_resampler_get_input_latency(state: number): number
    _speex_resampler_get_output_latency(state: number): number
    _speex_resampler_process_int(
      state: number,
      channel: number,
      input: number,
      inputLength: number,
      output: number,
      outputLength: number,
    ): number
  }
  const initialize: () => Promise<SpeexResamplerModule>
  export default initialize
}
