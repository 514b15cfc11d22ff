// @vitest-environment happy-dom
import { adapterTable } from "../../test-support/adapter-table";
import { salesforce } from ".";

adapterTable(salesforce, {
  fixtures: {
    // The hidden, cached Account page (Kestrel Foods) must not leak into the active Opportunity's label.
    "2026-11-23-opportunity.html": { kind: "deal", customerLabel: "Lumen Logistics" },
    "2026-11-23-contact.html": { kind: "contact", customerLabel: "Lumen Logistics" },
    "2026-11-23-opportunity-list.html": { kind: "list" },
  },
  urls: {
    match: [
      "https://huaxin.lightning.force.com/lightning/r/Opportunity/006Hs00001XyZabIAF/view",
      "https://huaxin--uat.sandbox.lightning.force.com/lightning/o/Account/list",
    ],
    noMatch: [
      "https://lightning.force.com/lightning/r/Opportunity/006Hs00001XyZabIAF/view",
      "https://huaxin.my.salesforce.com/006Hs00001XyZabIAF",
      "https://huaxin.lightning.force.com.evil.example/lightning/page/home",
    ],
  },
});
