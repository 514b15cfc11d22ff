import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { manifestCommands } from "../../background/commands";
import {
  CUSTOMER_LABEL_MODES,
  DEFAULT_PREFERENCES,
  LANGUAGE_PREFERENCES,
  preferencesItem,
  type Preferences,
} from "../../storage";

/** Language names in their own language, as language pickers show them. */
const ENDONYMS = { en: "English", "zh-CN": "简体中文", "zh-TW": "繁體中文" } as const;

/**
 * Language and privacy choices. Saved at once in `local:preferences`; popup, overlay and badge follow the change
 * (extension/i18n.ts watches it; the background enforces the label mode).
 */
export function PreferencesCards() {
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  useEffect(() => {
    void preferencesItem.getValue().then(setPrefs);
    return preferencesItem.watch((next) => setPrefs(next ?? DEFAULT_PREFERENCES));
  }, []);
  if (!prefs) return null;
  const save = (patch: Partial<Preferences>) => {
    const next = { ...prefs, ...patch };
    setPrefs(next);
    void preferencesItem.setValue(next);
  };

  return (
    <>
      <section class="card" data-testid="language-card">
        <h2>{t("options.languageHeading")}</h2>
        <label class="field">
          <span>{t("options.language")}</span>
          <select
            value={prefs.language}
            data-testid="language"
            onChange={(e) => save({ language: e.currentTarget.value as Preferences["language"] })}
          >
            {LANGUAGE_PREFERENCES.map((language) => (
              <option key={language} value={language}>
                {language === "auto" ? t("options.languageAuto") : ENDONYMS[language]}
              </option>
            ))}
          </select>
          <small class="muted">{t("options.languageHelp")}</small>
        </label>
      </section>

      <section class="card" data-testid="privacy-card">
        <h2>{t("options.privacyHeading")}</h2>
        <fieldset class="choices">
          <legend>{t("options.customerLabels")}</legend>
          {CUSTOMER_LABEL_MODES.map((mode) => (
            <label key={mode} class="choice">
              <input
                type="radio"
                name="customer-labels"
                value={mode}
                checked={prefs.customerLabels === mode}
                data-testid={`labels-${mode}`}
                onChange={() => save({ customerLabels: mode })}
              />
              <span>
                <span class="strong">{t(`options.labels.${mode}`)}</span>
                <small class="muted">{t(`options.labelsHelp.${mode}`)}</small>
              </span>
            </label>
          ))}
        </fieldset>
        <p class="muted small">{t("options.privacy")}</p>
      </section>
    </>
  );
}

/** The keyboard shortcuts and the context menu, and where to change the keys. */
export function ShortcutsCard() {
  const commands = manifestCommands();
  const isFirefox = typeof navigator !== "undefined" && /firefox/i.test(navigator.userAgent);
  return (
    <section class="card" data-testid="shortcuts-card">
      <h2>{t("options.shortcutsHeading")}</h2>
      <dl class="facts">
        <dt>
          <kbd>{commands["log-touch"]!.suggested_key.default}</kbd>
        </dt>
        <dd>{t("command.logTouch")}</dd>
        <dt>
          <kbd>{commands._execute_action!.suggested_key.default}</kbd>
        </dt>
        <dd>{t("options.openPopup")}</dd>
      </dl>
      <p class="muted small">{t("options.contextMenuHelp")}</p>
      <p class="muted small">{t(isFirefox ? "options.shortcutsChangeFirefox" : "options.shortcutsChange")}</p>
    </section>
  );
}
