import { expect, test } from "vitest";
import { createLocaleLoader } from "./locale-messages";

const files: Record<string, unknown> = {
  "/_locales/zh_CN/messages.json": { popup_today: { message: "今天" } },
  "/_locales/zh_TW/messages.json": { popup_today: "not a message object" },
};

function loader() {
  const requested: string[] = [];
  const load = createLocaleLoader({
    getURL: (path) => `chrome-extension://id${path}`,
    fetch: (async (url: string) => {
      const path = new URL(url).pathname;
      requested.push(path);
      return path in files ? new Response(JSON.stringify(files[path])) : new Response("", { status: 404 });
    }) as unknown as typeof fetch,
  });
  return { load, requested };
}

test("reads _locales/<dir>/messages.json once per language", async () => {
  const { load, requested } = loader();
  expect(await load("zh-CN")).toEqual({ popup_today: { message: "今天" } });
  await load("zh-CN");
  expect(requested).toEqual(["/_locales/zh_CN/messages.json"]);
});

test("a missing or malformed file is an error, and is retried next time", async () => {
  const { load, requested } = loader();
  await expect(load("en")).rejects.toThrow(/404/);
  await expect(load("zh-TW")).rejects.toThrow(/not a messages.json/);
  await expect(load("en")).rejects.toThrow(/404/);
  expect(requested).toEqual(["/_locales/en/messages.json", "/_locales/zh_TW/messages.json", "/_locales/en/messages.json"]);
});
