// @vitest-environment happy-dom
import { adapterTable } from "../../test-support/adapter-table";
import { outlook } from ".";

adapterTable(outlook, {
  fixtures: {
    "2026-11-23-reading-pane.html": { kind: "email_thread", customerLabel: "Harbor Medical" },
    "2026-11-23-inbox.html": { kind: "list" },
  },
  urls: {
    match: [
      "https://outlook.office.com/mail/",
      "https://outlook.office365.com/mail/inbox/id/AAQk",
      "https://outlook.live.com/mail/0/inbox",
    ],
    noMatch: ["https://outlook.office.com/calendar/view/week", "https://outlook.com.evil.example/mail/", "http://outlook.office.com/mail/"],
  },
});
