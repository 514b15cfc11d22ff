import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseMessagesFile, type ParsedMessage } from "@wxt-dev/i18n/build";
import type { GeneratedI18nStructure } from "#i18n";
import type { BadgeMessageKey } from "../features/badge";

const dir = join(import.meta.dirname, ".");
const files = readdirSync(dir).filter((name) => name.endsWith(".yml"));

async function shape(file: string) {
  const messages: ParsedMessage[] = await parseMessagesFile(join(dir, file));
  return Object.fromEntries(
    messages.map((m) => [m.key.join("."), { type: m.type, substitutions: m.substitutions }]),
  );
}

describe("locales", () => {
  test("en, zh-CN and zh-TW exist", () => {
    expect(files.sort()).toEqual(["en.yml", "zh_CN.yml", "zh_TW.yml"]);
  });

  test.each(files.filter((f) => f !== "en.yml"))("%s has exactly the keys of en.yml, with the same substitutions", async (file) => {
    expect(await shape(file)).toEqual(await shape("en.yml"));
  });
});

// Compile-time: every key the badge asks for exists in the messages (tsc fails otherwise).
type Missing = Exclude<BadgeMessageKey, keyof GeneratedI18nStructure>;
const noneMissing: [Missing] extends [never] ? true : Missing = true;
void noneMissing;
