import { describe, expect, test } from "vitest";
import { companyFromDomain, customerFromAddresses, domainOf, hostIs } from "./dom";
import { cleanLabel, LABEL_MAX_LENGTH, pageContext } from "./types";

describe("companyFromDomain", () => {
  test.each([
    ["acme-robotics.com", "Acme Robotics"],
    ["sales.acme-robotics.com", "Acme Robotics"],
    ["huawei.com.cn", "Huawei"],
    ["acme.co.uk", "Acme"],
    ["lumen-logistics.example", "Lumen Logistics"],
    ["gmail.com", null],
    ["qq.com", null],
    ["163.com", null],
    ["localhost", null],
    [null, null],
  ])("%s → %s", (domain, company) => expect(companyFromDomain(domain)).toBe(company));
});

describe("domainOf", () => {
  test.each([
    ["Liu.Yang@Lumen-Logistics.example", "lumen-logistics.example"],
    ["Liu Yang <liu@acme.com>", "acme.com"],
    ["not an address", null],
    ["", null],
  ])("%s → %s", (address, domain) => expect(domainOf(address)).toBe(domain));
});

describe("customerFromAddresses", () => {
  test("skips the rep's own domain and personal providers, keeps page order", () => {
    expect(customerFromAddresses(["me@huaxin.example", "someone@gmail.com", "a@kestrel-foods.example", "b@orchid.example"], "me@huaxin.example")).toBe(
      "Kestrel Foods",
    );
  });
  test("without a known own address, the first company domain", () => {
    expect(customerFromAddresses(["x@orchid-retail.example", "me@huaxin.example"], null)).toBe("Orchid Retail");
  });
  test("only the rep's own company or private mail → no label", () => {
    expect(customerFromAddresses(["me@huaxin.example", "colleague@huaxin.example", "friend@163.com"], "me@huaxin.example")).toBeNull();
  });
});

describe("hostIs", () => {
  test.each([
    ["https://mail.google.com/", "mail.google.com", true],
    ["https://x.lightning.force.com/", "*.lightning.force.com", true],
    ["https://lightning.force.com/", "*.lightning.force.com", false],
    ["https://evillightning.force.com/", "*.lightning.force.com", false],
    ["https://mail.google.com.evil.example/", "mail.google.com", false],
  ])("%s is %s: %s", (url, pattern, expected) => expect(hostIs(new URL(url), pattern)).toBe(expected));
});

describe("cleanLabel", () => {
  test.each([
    ["  Lumen \n Logistics  ", "Lumen Logistics"],
    ["", null],
    ["   ", null],
    [null, null],
  ])("%j → %j", (input, output) => expect(cleanLabel(input)).toBe(output));

  test("long names are cut to the server's limit, at a word", () => {
    const long = "Lumen Logistics Warehouse Management System Rollout for the Suzhou and Ningbo Sites, Phase Two";
    const label = cleanLabel(long)!;
    expect(label.length).toBeLessThanOrEqual(LABEL_MAX_LENGTH);
    expect(label.endsWith("…")).toBe(true);
    expect(long.startsWith(label.slice(0, -1))).toBe(true);
  });

  test("pageContext leaves the label out when there is none", () => {
    expect(pageContext("generic", "other", "  ")).toEqual({ site: "generic", kind: "other", suggestedKinds: ["touch"] });
  });
});
