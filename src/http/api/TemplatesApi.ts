// Call script templates for the nine purposes, in Hindi or English, with {variable} substitution from the query
// string.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { CallScript, TemplateQuery } from "../../api/templates.js"
import { CallPurpose } from "../../domain/CallPurpose.js"
import { BadRequest } from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"

export const TemplatesApi = HttpApiGroup.make("templates")
  .add(
    HttpApiEndpoint.get("template")`/templates/${HttpApiSchema.param("purpose", CallPurpose)}`
      .annotate(OpenApi.Summary, "Render the call script of a purpose")
      .setUrlParams(TemplateQuery)
      .addSuccess(CallScript)
      .addError(BadRequest)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "The call script for a purpose, in `language` (`hi` for Hindi in Devanagari, or `en`, the default): the " +
          "words scheduled and campaign calls of that language speak. The other query parameters fill its " +
          "{placeholders} (`?orderId=ORDER-1&total=450`); placeholders without a value are left as they are.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Templates")
  .annotate(OpenApi.Description, "The call scripts of the call purposes, with their placeholders filled in.")
