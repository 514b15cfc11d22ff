import type { ActivityKind } from "../../shared/domain/kinds";

/**
 * Keyboard shortcuts (manifest `commands`, declared in wxt.config.ts from COMMANDS). Each logs one activity through
 * the same durable outbox path as a popup click, with source `shortcut`. Users can change the keys at
 * chrome://extensions/shortcuts (about:addons in Firefox).
 *
 * Alt+Shift+T would read better for "touch", but Chrome keeps it for "focus the toolbar" and silently leaves such a
 * suggestion unassigned, so the default is Alt+Shift+L ("log").
 */
export const COMMANDS = {
  "log-touch": { kind: "touch", suggestedKey: "Alt+Shift+L", description: "__MSG_command_logTouch__" },
} as const satisfies Record<string, { kind: ActivityKind; suggestedKey: string; description: string }>;

export type CommandName = keyof typeof COMMANDS;

/** Opens the popup; a manifest built-in, listed with the others on the shortcuts page. */
export const OPEN_POPUP_KEY = "Alt+Shift+H";

/** The manifest's `commands` section. */
export function manifestCommands(): Record<string, { suggested_key: { default: string }; description?: string }> {
  const commands: Record<string, { suggested_key: { default: string }; description?: string }> = {
    _execute_action: { suggested_key: { default: OPEN_POPUP_KEY } },
  };
  for (const [name, command] of Object.entries(COMMANDS)) {
    commands[name] = { suggested_key: { default: command.suggestedKey }, description: command.description };
  }
  return commands;
}

export function commandKind(command: string): ActivityKind | null {
  return Object.hasOwn(COMMANDS, command) ? COMMANDS[command as CommandName].kind : null;
}

export interface CommandEvents {
  onCommand: { addListener(listener: (command: string) => void): void };
}

/** Registers the listener (synchronously, so a command wakes the service worker). */
export function registerCommands(commands: CommandEvents | undefined, log: (kind: ActivityKind) => Promise<unknown>): void {
  commands?.onCommand.addListener((command) => {
    const kind = commandKind(command);
    if (kind) void log(kind).catch((error) => console.error("[target-hud] shortcut", command, error));
  });
}
