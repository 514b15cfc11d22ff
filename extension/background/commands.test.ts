import { expect, test } from "vitest";
import { commandKind, manifestCommands, registerCommands } from "./commands";

test("the manifest declares Alt+Shift+L for a touch and Alt+Shift+H for the popup, with localised descriptions", () => {
  expect(manifestCommands()).toEqual({
    _execute_action: { suggested_key: { default: "Alt+Shift+H" } },
    "log-touch": { suggested_key: { default: "Alt+Shift+L" }, description: "__MSG_command_logTouch__" },
  });
});

test.each([
  ["log-touch", "touch"],
  ["_execute_action", null],
  ["toString", null],
  ["unknown", null],
])("command %s logs %s", (command, kind) => {
  expect(commandKind(command)).toBe(kind);
});

test("a registered command logs its kind; others log nothing", async () => {
  let listener: ((command: string) => void) | undefined;
  const logged: string[] = [];
  registerCommands({ onCommand: { addListener: (l) => (listener = l) } }, async (kind) => logged.push(kind));
  listener!("log-touch");
  listener!("_execute_action");
  await Promise.resolve();
  expect(logged).toEqual(["touch"]);
});

test("without the commands API (some browsers) nothing is registered and nothing throws", () => {
  expect(() => registerCommands(undefined, async () => undefined)).not.toThrow();
});
