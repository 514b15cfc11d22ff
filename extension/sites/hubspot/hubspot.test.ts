// @vitest-environment happy-dom
import { adapterTable } from "../../test-support/adapter-table";
import { hubspot } from ".";

adapterTable(hubspot, {
  fixtures: {
    "2026-11-23-deal.html": { kind: "deal", customerLabel: "Lumen Logistics" },
    "2026-11-23-contact.html": { kind: "contact", customerLabel: "Lumen Logistics" },
    "2026-11-23-deals-board.html": { kind: "list" },
  },
  urls: {
    match: ["https://app.hubspot.com/contacts/24816357/deal/31415926535", "https://app-eu1.hubspot.com/contacts/24816357/record/0-1/55501"],
    noMatch: ["https://app.hubspot.com/reports-dashboard/24816357", "https://www.hubspot.com/contacts/1/record/0-3/2", "https://app.hubspot.com.evil.example/contacts/1/"],
  },
});
