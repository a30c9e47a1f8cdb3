// The seed's call quality analysis endpoints: analyse one call's recording, and the period's CQA dashboard.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { AnalyzeRequest, CqaAnalysis, CqaStats, CqaStatsQuery } from "../../api/cqa.js"
import { BadRequest, Forbidden, NotFound, ServiceUnavailable, Unprocessable } from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"

export const CqaApi = HttpApiGroup.make("cqa")
  .add(
    HttpApiEndpoint.post("analyze", "/cqa/analyze")
      .annotate(OpenApi.Summary, "Analyse a call recording")
      .setPayload(AnalyzeRequest)
      .addSuccess(CqaAnalysis)
      .addError(BadRequest)
      .addError(Forbidden)
      .addError(NotFound)
      .addError(Unprocessable)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "Analyses a call's recording (16-bit PCM WAV): talk, silence, overlap, clipping and level always; " +
          "sentiment, keywords and compliance on the transcript given in the body or heard by ASR_URL.",
      ),
  )
  .add(
    HttpApiEndpoint.get("stats", "/cqa/stats")
      .annotate(OpenApi.Summary, "Read the call-quality statistics")
      .setUrlParams(CqaStatsQuery)
      .addSuccess(CqaStats)
      .pipe(requires("viewer")),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Call quality analysis")
  .annotate(
    OpenApi.Description,
    "Call quality analysis of recordings: talk and silence, levels, sentiment, keywords and compliance.",
  )
