// @vitest-environment happy-dom
import { adapterTable } from "../../test-support/adapter-table";
import { roundcube } from ".";

adapterTable(roundcube, {
  fixtures: {
    "2026-11-23-message.html": { kind: "email_thread", customerLabel: "Crane Energy" },
    // The preview frame's own document (opened on its own, e.g. from a notification): no own address shown, the
    // rep's domain is still skipped because the sender comes first.
    "2026-11-23-preview.html": { kind: "email_thread", customerLabel: "Crane Energy" },
    // The preview frame is blank until a message is selected.
    "2026-11-23-inbox.html": { kind: "list" },
  },
  urls: {
    match: ["https://mail.huaxin-tech.example/?_task=mail&_mbox=INBOX", "http://webmail.example.org/roundcube/?_task=mail&_action=show&_uid=1"],
    noMatch: ["https://mail.huaxin-tech.example/?_task=settings", "https://mail.huaxin-tech.example/", "ftp://mail.example.org/?_task=mail"],
  },
});
