import type { DeliveryOutcome, DeliveryRequest, HttpDeliveryRequest, SendEmailDeliveryRequest } from "./types";

/**
 * Sends one rendered request and classifies the result, so the outbox can decide retry vs give up:
 * - retryable: network errors, timeouts, HTTP 429 and 5xx, robot rate-limit/busy codes;
 * - permanent: other 4xx, redirects, robot error codes (bad signature, bad key, keyword missing, …).
 * Never throws.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;
/** How much of a failing answer's body is kept in last_error. */
const ERROR_BODY_CHARS = 300;

export interface DeliverOptions {
  /** Bindings: SEND_EMAIL when the send_email transport is configured. */
  env?: { SEND_EMAIL?: SendEmail };
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export async function deliver(request: DeliveryRequest, options: DeliverOptions = {}): Promise<DeliveryOutcome> {
  try {
    return request.transport === "http" ? await deliverHttp(request, options) : await deliverSendEmail(request, options);
  } catch (err) {
    return { ok: false, retryable: true, error: `unexpected: ${errorMessage(err)}` };
  }
}

async function deliverHttp(request: HttpDeliveryRequest, options: DeliverOptions): Promise<DeliveryOutcome> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  let body: string;
  try {
    response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // A webhook that redirects is misconfigured; following it could hand the payload to someone else.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.text();
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if (name === "TimeoutError" || name === "AbortError") return { ok: false, retryable: true, error: `timeout after ${timeoutMs} ms` };
    return { ok: false, retryable: true, error: `network error: ${errorMessage(err)}` };
  }

  const httpStatus = response.status;
  const snippet = body.slice(0, ERROR_BODY_CHARS);
  if (httpStatus === 429 || httpStatus >= 500) return { ok: false, retryable: true, httpStatus, error: `HTTP ${httpStatus}: ${snippet}` };
  if (httpStatus < 200 || httpStatus >= 300) return { ok: false, retryable: false, httpStatus, error: `HTTP ${httpStatus}: ${snippet}` };
  if (request.check === "status") return { ok: true, httpStatus };

  // Robots answer 200 and put the outcome in the body.
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { ok: false, retryable: false, httpStatus, error: `unexpected answer (not JSON): ${snippet}` };
  }
  const code = request.check === "errcode" ? parsed.errcode : (parsed.code ?? parsed.StatusCode);
  if (code === 0) return { ok: true, httpStatus };
  const message = String(parsed.errmsg ?? parsed.msg ?? parsed.StatusMessage ?? "");
  const retryable = typeof code === "number" && (request.retryableCodes ?? []).includes(code);
  return { ok: false, retryable, httpStatus, error: `error code ${String(code)}: ${message}`.slice(0, ERROR_BODY_CHARS) };
}

async function deliverSendEmail(request: SendEmailDeliveryRequest, options: DeliverOptions): Promise<DeliveryOutcome> {
  const binding = options.env?.SEND_EMAIL;
  if (!binding) return { ok: false, retryable: false, error: "send_email transport but no SEND_EMAIL binding is configured" };
  try {
    await binding.send({ from: request.from, to: request.to, subject: request.subject, text: request.text, html: request.html });
    return { ok: true };
  } catch (err) {
    const message = errorMessage(err);
    // Unverified or disallowed addresses will not fix themselves; anything else may be transient.
    const permanent = /not (verified|allowed)|invalid|forbidden/i.test(message);
    return { ok: false, retryable: !permanent, error: `send_email: ${message}` };
  }
}

function errorMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, ERROR_BODY_CHARS);
}
