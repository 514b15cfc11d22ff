import { t } from "../i18n";
import type { MessageError } from "../messages";
import type { SyncError } from "../storage";

/** One sentence for the user per failure, in their language; the API's error code decides, never its message. */
export function errorText(error: MessageError | SyncError, serverUrl?: string): string {
  const where = serverUrl ?? "";
  switch (error.kind) {
    case "invalid_input":
      if (error.code === "invalid_server_url") return t("error.invalidServerUrl");
      if (error.code === "invalid_pairing_code") return t("error.invalidPairingCode");
      return t("error.unexpected", [error.message]);
    case "network":
      if (error.code === "host_permission_denied") return t("error.hostPermissionDenied", [where || "?"]);
      return where ? t("error.unreachable", [where]) : t("error.offline");
    case "http":
      if (error.code === "pairing_code_invalid") return t("error.pairingCodeInvalid");
      if (error.code === "unauthorized") return t("error.unauthorized");
      if (error.code === "not_found" || error.code === "http_404" || error.code === "http_405") {
        return t("error.notAServer", [where || "?", error.code]);
      }
      if (error.code === "rate_limited" || error.code === "http_429") return t("error.rateLimited");
      if (error.code === "internal" || /^http_5\d\d$/.test(error.code ?? "")) {
        return t("error.server", [error.code ?? "?"]);
      }
      return t("error.unexpected", [error.message]);
    case "schema":
      return t("error.notAServer", [where || "?", "schema"]);
    case "not_paired":
      return t("badge.notPaired");
    default:
      return t("error.unexpected", [error.message]);
  }
}
