import type { ChannelConfig, ChannelKind } from "../../shared/schemas/channels";
import type { Language, MessageKind, RenderedMessage } from "./templates";

/** What a channel module needs to know about its channel (the secret included: this never leaves the worker). */
export interface ChannelTarget<K extends ChannelKind = ChannelKind> {
  id: string;
  kind: K;
  name: string;
  config: ChannelConfig<K>;
  secret: string | null;
}

/** A rendered message on its way out, with the outbox row's id as the delivery (idempotency) id. */
export interface OutgoingMessage extends RenderedMessage {
  deliveryId: string;
  kind: MessageKind;
  language: Language;
  params: unknown;
}

export interface RenderContext {
  /** Epoch ms used for signature timestamps. */
  now: number;
}

/**
 * How to read a 2xx answer: plain status, or robots that answer HTTP 200 with an error in the JSON body
 * (WeCom / DingTalk `errcode`, Feishu `code` / `StatusCode`).
 */
export type ResponseCheck = "status" | "errcode" | "feishu";

export interface HttpDeliveryRequest {
  transport: "http";
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
  check: ResponseCheck;
  /** Body error codes that mean "try again later" (rate limits, busy). Others are permanent. */
  retryableCodes?: readonly number[];
}

export interface SendEmailDeliveryRequest {
  transport: "send_email";
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export type DeliveryRequest = HttpDeliveryRequest | SendEmailDeliveryRequest;

export type DeliveryOutcome =
  | { ok: true; httpStatus?: number }
  | { ok: false; retryable: boolean; error: string; httpStatus?: number };

/** One module per channel kind: a pure renderer (async only because Web Crypto is). */
export interface ChannelModule<K extends ChannelKind> {
  kind: K;
  render(message: OutgoingMessage, channel: ChannelTarget<K>, ctx: RenderContext): Promise<DeliveryRequest>;
}
