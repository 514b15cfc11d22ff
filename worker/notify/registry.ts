import type { ChannelKind } from "../../shared/schemas/channels";
import { dingtalk } from "./dingtalk";
import { email } from "./email";
import { feishu } from "./feishu";
import { slack } from "./slack";
import type { ChannelModule, ChannelTarget, DeliveryRequest, OutgoingMessage, RenderContext } from "./types";
import { webhook } from "./webhook";
import { wecom } from "./wecom";

/** Every channel kind has exactly one module (checked by a structure test). */
export const CHANNEL_MODULES: { [K in ChannelKind]: ChannelModule<K> } = { email, wecom, dingtalk, feishu, slack, webhook };

/** Renders `message` into the request for `channel`'s kind. */
export function renderFor(channel: ChannelTarget, message: OutgoingMessage, ctx: RenderContext): Promise<DeliveryRequest> {
  const module = CHANNEL_MODULES[channel.kind] as ChannelModule<ChannelKind>;
  return module.render(message, channel, ctx);
}
