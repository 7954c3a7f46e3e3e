// Response bodies in the two documented shapes.
//
// live  (default): { success, message, data, requestId } and errors
//                  { success:false, message, code, errors:[{field,message}], requestId }
// draft (--shape draft): the older flat bodies of the xtottel drafts (reference §3.3, §6, §9.3,
//                  §11): `request_id`, errors { success:false, error:"DRAFT_CODE", message,
//                  details:{ code, errors, ... } }. Endpoints the drafts never had (status,
//                  resend, numbers) keep the live body but still say `request_id`.
import { response } from "./http.mjs";

// Draft names for the sandbox's live codes (reference §9.3). Unlisted codes keep their name.
const DRAFT_CODES = {
  UNAUTHORIZED: "INVALID_TOKEN",
  WA006: "UNAUTHORIZED_ACCESS",
  VALIDATION_ERROR: "INVALID_PARAMETERS",
  INVALID_JSON: "INVALID_PARAMETERS",
  WA004: "INVALID_PARAMETERS",
  WA001: "INVALID_PHONE_NUMBER",
  WA002: "INVALID_PHONE_NUMBER",
  WA003: "CONVERSATION_WINDOW_EXPIRED",
  WA005: "RATE_LIMIT_EXCEEDED",
  TEMPLATE_PARAM_MISMATCH: "INVALID_TEMPLATE",
  NOT_FOUND: "RESOURCE_NOT_FOUND",
  SERVER_ERROR: "SERVER_ERROR",
  BAD_GATEWAY: "PROVIDER_ERROR",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

export function draftCode(code) {
  return DRAFT_CODES[code] || code;
}

/**
 * A success response. `draft` (optional) builds the draft body; without it the draft shape
 * serves the live envelope with `request_id`.
 */
export function ok(ctx, { status = 200, message, data, draft, headers }) {
  if (ctx.shape === "draft") {
    const body = draft ? draft() : { success: true, message, data };
    return response(status, { ...body, request_id: ctx.requestId }, headers);
  }
  return response(status, { success: true, message, data, requestId: ctx.requestId }, headers);
}

/** The error body for an ApiError (or anything thrown) in the configured shape. */
export function errorResponse(ctx, err) {
  const status = err.status || 500;
  const code = err.code || "SERVER_ERROR";
  const message = err.status ? err.message : "Internal server error";
  const errors = err.errors || [];
  if (ctx.shape === "draft") {
    const details = { code, ...(errors.length ? { errors } : {}), ...(err.details || {}) };
    const body = { success: false, error: draftCode(code), message, details, request_id: ctx.requestId };
    if (err.details && err.details.retry_after !== undefined) body.retry_after = err.details.retry_after;
    return response(status, body, err.headers);
  }
  return response(status, { success: false, message, code, errors, requestId: ctx.requestId }, err.headers);
}
