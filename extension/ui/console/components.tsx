import { createContext, type ComponentChildren, type JSX } from "preact";
import { useContext, useId, useRef } from "preact/hooks";
import type { BackgroundError } from "../../messages";
import { errorText } from "../errors";
import { t } from "./t";

/**
 * Form controls with a visible label, the field's error right below it (`aria-describedby`, `aria-invalid`) and
 * `data-testid`s named after the field, so tests and screen readers find the same things.
 */

/**
 * The form's current errors object. A field hides its error as soon as its value changes after the error was shown
 * (the user is fixing it); the next check of the form (a new errors object) shows whatever is still wrong.
 */
export const ErrorsScope = createContext<object | null>(null);

function useShownError(error: string | undefined, value: string): string | undefined {
  const scope = useContext(ErrorsScope);
  const at = useRef({ scope, error, value });
  if (at.current.scope !== scope || at.current.error !== error) at.current = { scope, error, value };
  return error !== undefined && at.current.value === value ? error : undefined;
}

interface FieldProps {
  label: string;
  /** Field path, e.g. "name" or "settings.keyCustomerSilenceDays": the test id and the key into the errors. */
  name: string;
  error?: string | undefined;
  help?: string;
  class?: string;
}

function Describe({ id, error, help, name }: { id: string; error?: string | undefined; help?: string | undefined; name: string }) {
  if (error) {
    return (
      <small class="error" id={id} data-testid={`error-${name}`}>
        {error}
      </small>
    );
  }
  return help ? (
    <small class="muted" id={id}>
      {help}
    </small>
  ) : null;
}

export function TextField(
  props: FieldProps & {
    value: string;
    onInput: (value: string) => void;
    type?: "text" | "email" | "url" | "date" | "number" | "password" | "month";
    placeholder?: string;
    required?: boolean;
    inputMode?: "numeric" | "decimal" | "url" | "email" | "text";
    list?: string;
    min?: number;
    max?: number;
    step?: number | "any";
    autoComplete?: string;
    disabled?: boolean;
  },
) {
  const id = useId();
  const describedBy = `${id}-d`;
  const error = useShownError(props.error, props.value);
  return (
    <label class={`field ${props.class ?? ""}`}>
      <span>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </span>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        placeholder={props.placeholder}
        required={props.required}
        inputMode={props.inputMode}
        list={props.list}
        min={props.min}
        max={props.max}
        step={props.step}
        disabled={props.disabled}
        autoComplete={props.autoComplete ?? "off"}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || props.help ? describedBy : undefined}
        data-testid={`field-${props.name}`}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <Describe id={describedBy} error={error} help={props.help} name={props.name} />
    </label>
  );
}

export function SelectField<V extends string>(
  props: FieldProps & { value: V; onChange: (value: V) => void; options: readonly { value: V; label: string }[]; disabled?: boolean },
) {
  const id = useId();
  const describedBy = `${id}-d`;
  const error = useShownError(props.error, props.value);
  return (
    <label class={`field ${props.class ?? ""}`}>
      <span>{props.label}</span>
      <select
        id={id}
        name={props.name}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || props.help ? describedBy : undefined}
        data-testid={`field-${props.name}`}
        onChange={(e) => props.onChange(e.currentTarget.value as V)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Describe id={describedBy} error={error} help={props.help} name={props.name} />
    </label>
  );
}

export function TextArea(props: FieldProps & { value: string; onInput: (value: string) => void; rows?: number; placeholder?: string }) {
  const id = useId();
  const describedBy = `${id}-d`;
  const error = useShownError(props.error, props.value);
  return (
    <label class={`field ${props.class ?? ""}`}>
      <span>{props.label}</span>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 3}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || props.help ? describedBy : undefined}
        data-testid={`field-${props.name}`}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <Describe id={describedBy} error={error} help={props.help} name={props.name} />
    </label>
  );
}

export function Checkbox(props: { label: string; name: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean }) {
  return (
    <label class="check">
      <input
        type="checkbox"
        name={props.name}
        checked={props.checked}
        disabled={props.disabled}
        data-testid={`field-${props.name}`}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <span>{props.label}</span>
    </label>
  );
}

/** A group of related controls with a visible legend (fieldset), e.g. the working weekdays. */
export function Group(props: { legend: string; children: ComponentChildren; error?: string | undefined; name?: string; class?: string }) {
  return (
    <fieldset class={`group ${props.class ?? ""}`}>
      <legend>{props.legend}</legend>
      {props.children}
      {props.error ? (
        <small class="error" data-testid={props.name ? `error-${props.name}` : undefined}>
          {props.error}
        </small>
      ) : null}
    </fieldset>
  );
}

export function ErrorNote({ error, testId }: { error: BackgroundError | string | null | undefined; testId?: string }) {
  if (!error) return null;
  return (
    <p class="alert" role="alert" data-testid={testId ?? "error"} data-code={typeof error === "string" ? undefined : (error.code ?? error.kind)}>
      {typeof error === "string" ? error : describeError(error)}
    </p>
  );
}

/** One sentence per failure: forbidden and not found get their own words; the rest as the popup says them. */
export function describeError(error: BackgroundError): string {
  if (error.code === "forbidden") return t("console.error.forbidden");
  if (error.code === "conflict") return t("console.error.conflict", [error.message]);
  if (error.code === "validation_failed" || error.code === "invalid_message") return t("console.error.invalid", [error.message]);
  return errorText({ kind: error.kind, code: error.code, message: error.message });
}

export function Loading({ what }: { what?: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      {what ?? t("console.loading")}
    </p>
  );
}

export function Card(props: { title?: string; children: ComponentChildren; class?: string; actions?: ComponentChildren; testId?: string }) {
  return (
    <section class={`ccard ${props.class ?? ""}`} data-testid={props.testId}>
      {props.title || props.actions ? (
        <header class="ccard-head">
          {props.title ? <h2>{props.title}</h2> : <span />}
          {props.actions ? <div class="row wrap">{props.actions}</div> : null}
        </header>
      ) : null}
      {props.children}
    </section>
  );
}

export function Chip(props: { tone: "red" | "yellow" | "orange" | "green" | "grey" | "blue"; children: ComponentChildren; title?: string }) {
  return (
    <span class={`chip-tone tone-${props.tone}`} title={props.title}>
      {props.children}
    </span>
  );
}

export function Button(props: JSX.HTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "danger" | "plain"; testId?: string; disabled?: boolean }) {
  const { variant = "plain", testId, class: cls, ...rest } = props;
  return <button type="button" class={`btn btn-${variant} ${cls ?? ""}`} data-testid={testId} {...rest} />;
}

/** A page's heading: focusable (tabIndex −1) so navigation can move focus to it. */
export function PageTitle({ children, actions }: { children: string; actions?: ComponentChildren }) {
  return (
    <div class="page-head">
      <h1 id="page-title" tabIndex={-1}>
        {children}
      </h1>
      {actions ? <div class="row wrap">{actions}</div> : null}
    </div>
  );
}
