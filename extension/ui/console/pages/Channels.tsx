import { useState } from "preact/hooks";
import { CHANNEL_KINDS, CHANNEL_SECRET, CreateChannelRequest, type ChannelKind, type ChannelView } from "../../../../shared/schemas/channels";
import type { RouteResponse } from "../../../../shared/api";
import { useApi } from "../api";
import { Button, Card, Chip, ErrorNote, Loading, PageTitle, SelectField, TextField } from "../components";
import { ErrorsScope } from "../components";
import { check, serverFieldErrors, unplaced, type FieldErrors } from "../forms";
import { asBackgroundError, useLoad } from "../hooks";
import { useSession } from "../session";
import { locale, t } from "../t";
import type { BackgroundError } from "../../../messages";

/** Notification channels: add (WeCom, DingTalk, Feishu, Slack, webhook, e-mail), enable, test now, delivery log. */

interface Draft {
  kind: ChannelKind;
  name: string;
  teamId: string;
  url: string;
  secret: string;
  transport: "api" | "send_email";
  from: string;
  to: string;
}

const EMPTY: Draft = { kind: "webhook", name: "", teamId: "", url: "", secret: "", transport: "api", from: "", to: "" };

/** The create request of a draft; fields a kind does not take are left out, so the schema only reports real problems. */
export function channelRequest(d: Draft, isAdmin: boolean) {
  const secretRule = CHANNEL_SECRET[d.kind];
  // An empty secret is left out: optional ones are then absent, required ones reported as missing.
  const secret = secretRule === "none" || (d.kind === "email" && d.transport === "send_email") || d.secret === "" ? {} : { secret: d.secret };
  const config =
    d.kind === "email"
      ? {
          transport: d.transport,
          ...(d.transport === "api" ? { url: d.url.trim() } : {}),
          from: d.from.trim(),
          to: d.to
            .split(/[,;\s]+/)
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : { url: d.url.trim() };
  return { kind: d.kind, name: d.name, ...(isAdmin && d.teamId ? { teamId: d.teamId } : {}), config, ...secret };
}


export function ChannelsPage() {
  const api = useApi();
  const { user } = useSession();
  const isAdmin = user.role === "admin";
  const channels = useLoad(() => api.call("listChannels"), []);
  const teams = useLoad(() => api.call("listTeams"), []);
  const [adding, setAdding] = useState(false);
  const [logFor, setLogFor] = useState<ChannelView | null>(null);
  const [tests, setTests] = useState<Record<string, RouteResponse<"testChannel">>>({});
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [logTick, setLogTick] = useState(0);
  const teamName = (id: string | null) => (id ? (teams.data?.teams.find((x) => x.id === id)?.name ?? id) : t("console.channels.wholeOrg"));

  function test(channel: ChannelView) {
    setBusy(channel.id);
    setFailure(null);
    api
      .call("testChannel", { params: { id: channel.id } })
      .then((result) => {
        setTests((all) => ({ ...all, [channel.id]: result }));
        setLogFor(channel);
        setLogTick((n) => n + 1);
      })
      .catch((e: unknown) => setFailure(asBackgroundError(e)))
      .finally(() => setBusy(null));
  }
  function toggle(channel: ChannelView) {
    setFailure(null);
    api.call("updateChannel", { params: { id: channel.id }, body: { enabled: !channel.enabled } }).then(channels.reload, (e: unknown) => setFailure(asBackgroundError(e)));
  }
  function remove(channel: ChannelView) {
    if (!confirm(t("console.channels.confirmDelete", [channel.name]))) return;
    setFailure(null);
    api.call("deleteChannel", { params: { id: channel.id } }).then(() => {
      if (logFor?.id === channel.id) setLogFor(null);
      channels.reload();
    }, (e: unknown) => setFailure(asBackgroundError(e)));
  }

  return (
    <div class="page">
      <PageTitle
        actions={
          <Button variant="primary" testId="add-channel" onClick={() => setAdding(true)}>
            {t("console.channels.add")}
          </Button>
        }
      >
        {t("console.nav.channels")}
      </PageTitle>
      {adding ? (
        <ChannelForm
          teams={teams.data?.teams ?? []}
          isAdmin={isAdmin}
          onDone={(changed) => {
            setAdding(false);
            if (changed) channels.reload();
          }}
        />
      ) : null}
      <Card title={t("console.channels.list")} testId="channel-list">
        <ErrorNote error={channels.error ?? failure} />
        {!channels.data ? (
          <Loading />
        ) : channels.data.channels.length === 0 ? (
          <p class="muted">{t("console.channels.none")}</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("console.channels.name")}</th>
                  <th scope="col">{t("console.channels.kind")}</th>
                  <th scope="col">{t("console.channels.team")}</th>
                  <th scope="col">{t("console.channels.target")}</th>
                  <th scope="col">{t("console.channels.status")}</th>
                  <th scope="col">{t("console.channels.lastTest")}</th>
                  <th scope="col">{t("console.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {channels.data.channels.map((channel) => {
                  const result = tests[channel.id];
                  return (
                    <tr key={channel.id} data-testid={`channel-${channel.name}`}>
                      <th scope="row">{channel.name}</th>
                      <td>{t(`console.channels.kind_${channel.kind}`)}</td>
                      <td>{teamName(channel.teamId)}</td>
                      <td class="small break">
                        {channel.urlHint ?? channel.config.to?.join(", ") ?? "—"}
                        {channel.hasSecret ? <div class="muted">{t("console.channels.hasSecret")}</div> : null}
                      </td>
                      <td>{channel.enabled ? <Chip tone="green">{t("console.channels.enabled")}</Chip> : <Chip tone="grey">{t("console.channels.disabled")}</Chip>}</td>
                      <td data-testid="test-result">
                        {result ? (
                          result.outcome.ok ? (
                            <Chip tone="green">{t("console.channels.testOk", [String(result.outcome.httpStatus ?? "")])}</Chip>
                          ) : (
                            <span>
                              <Chip tone="red">{t("console.channels.testFailed")}</Chip> <span class="small">{result.outcome.error ?? result.outcome.httpStatus}</span>
                            </span>
                          )
                        ) : (
                          "—"
                        )}
                      </td>
                      <td>
                        <div class="row wrap actions">
                          <Button class="small" disabled={busy === channel.id} testId={`test-${channel.name}`} aria-label={t("console.channels.testNamed", [channel.name])} onClick={() => test(channel)}>
                            {busy === channel.id ? t("console.channels.testing") : t("console.channels.test")}
                          </Button>
                          <Button class="small" testId={`log-${channel.name}`} aria-label={t("console.channels.logNamed", [channel.name])} onClick={() => setLogFor(channel)}>
                            {t("console.channels.log")}
                          </Button>
                          <Button class="small" aria-label={t(channel.enabled ? "console.channels.disableNamed" : "console.channels.enableNamed", [channel.name])} onClick={() => toggle(channel)}>
                            {channel.enabled ? t("console.channels.disable") : t("console.channels.enable")}
                          </Button>
                          <Button class="small" variant="danger" aria-label={t("console.channels.deleteNamed", [channel.name])} onClick={() => remove(channel)}>
                            {t("console.channels.delete")}
                          </Button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {logFor ? <DeliveryLog key={`${logFor.id}-${logTick}`} channel={logFor} onClose={() => setLogFor(null)} /> : null}
    </div>
  );
}

function ChannelForm({ teams, isAdmin, onDone }: { teams: RouteResponse<"listTeams">["teams"]; isAdmin: boolean; onDone: (changed: boolean) => void }) {
  const api = useApi();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const secretRule = CHANNEL_SECRET[draft.kind];
  const showSecret = secretRule !== "none" && !(draft.kind === "email" && draft.transport === "send_email");

  function submit(event: Event) {
    event.preventDefault();
    const body = channelRequest(draft, isAdmin);
    const checked = check(CreateChannelRequest, body);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    setFailure(null);
    api
      .call("createChannel", { body: body as never })
      .then(() => onDone(true))
      .catch((e: unknown) => {
        setFailure(asBackgroundError(e));
        setErrors(serverFieldErrors(e));
      })
      .finally(() => setBusy(false));
  }

  const leftover = unplaced(errors, ["kind", "name", "teamId", "config.url", "config.from", "config.to", "config.transport", "secret"]);
  return (
    <Card title={t("console.channels.add")} testId="channel-form">
      <ErrorsScope.Provider value={errors}>
<form onSubmit={submit} noValidate class="form-grid">
        <SelectField
          label={t("console.channels.kind")}
          name="kind"
          value={draft.kind}
          onChange={(kind) => set({ kind })}
          options={CHANNEL_KINDS.map((value) => ({ value, label: t(`console.channels.kind_${value}`) }))}
          error={errors.kind}
        />
        <TextField label={t("console.channels.name")} name="name" value={draft.name} onInput={(name) => set({ name })} error={errors.name} required />
        {isAdmin ? (
          <SelectField
            label={t("console.channels.team")}
            name="teamId"
            value={draft.teamId}
            onChange={(teamId) => set({ teamId })}
            options={[{ value: "", label: t("console.channels.wholeOrg") }, ...teams.map((x) => ({ value: x.id, label: x.name }))]}
            error={errors.teamId}
          />
        ) : null}
        {draft.kind === "email" ? (
          <SelectField
            label={t("console.channels.transport")}
            name="config.transport"
            value={draft.transport}
            onChange={(transport) => set({ transport })}
            options={[
              { value: "api", label: t("console.channels.transport_api") },
              { value: "send_email", label: t("console.channels.transport_send_email") },
            ]}
            error={errors["config.transport"]}
          />
        ) : null}
        {draft.kind !== "email" || draft.transport === "api" ? (
          <TextField
            label={draft.kind === "email" ? t("console.channels.apiUrl") : t("console.channels.url")}
            name="config.url"
            type="url"
            value={draft.url}
            onInput={(url) => set({ url })}
            help={t(`console.channels.urlHelp_${draft.kind}`)}
            error={errors["config.url"] ?? errors.config}
            required
          />
        ) : null}
        {draft.kind === "email" ? (
          <>
            <TextField label={t("console.channels.from")} name="config.from" type="email" value={draft.from} onInput={(from) => set({ from })} error={errors["config.from"]} required />
            <TextField
              label={t("console.channels.to")}
              name="config.to"
              value={draft.to}
              onInput={(to) => set({ to })}
              help={t("console.channels.toHelp")}
              error={errors["config.to"] ?? Object.entries(errors).find(([k]) => k.startsWith("config.to."))?.[1]}
              required
            />
          </>
        ) : null}
        {showSecret ? (
          <TextField
            label={draft.kind === "email" ? t("console.channels.apiKey") : t("console.channels.secret")}
            name="secret"
            type="password"
            value={draft.secret}
            onInput={(secret) => set({ secret })}
            help={secretRule === "required" || draft.kind === "email" ? t("console.channels.secretRequired") : t("console.channels.secretOptional")}
            error={errors.secret}
            required={secretRule === "required" || draft.kind === "email"}
            autoComplete="new-password"
          />
        ) : null}
        <div class="form-actions">
          {leftover.map((message) => (
            <p class="alert" key={message}>
              {message}
            </p>
          ))}
          <ErrorNote error={failure} />
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="channel-save">
            {t("console.channels.create")}
          </button>
          <Button onClick={() => onDone(false)}>{t("console.cancel")}</Button>
        </div>
      </form>
      </ErrorsScope.Provider>
    </Card>
  );
}

function DeliveryLog({ channel, onClose }: { channel: ChannelView; onClose: () => void }) {
  const api = useApi();
  const [status, setStatus] = useState<"" | "pending" | "sent" | "failed">("");
  const log = useLoad(() => api.call("listChannelDeliveries", { params: { id: channel.id }, query: { limit: 50, ...(status ? { status } : {}) } }), [channel.id, status]);
  const when = (iso: string | null) => (iso ? new Intl.DateTimeFormat(locale(), { dateStyle: "short", timeStyle: "medium" }).format(new Date(iso)) : "—");
  return (
    <Card
      title={t("console.channels.logOf", [channel.name])}
      testId="delivery-log"
      actions={
        <>
          <SelectField
            label={t("console.channels.status")}
            name="delivery-status"
            class="inline"
            value={status}
            onChange={setStatus}
            options={[{ value: "" as const, label: t("console.all") }, ...(["pending", "sent", "failed"] as const).map((value) => ({ value, label: t(`console.channels.delivery_${value}`) }))]}
          />
          <Button onClick={log.reload}>{t("console.refresh")}</Button>
          <Button onClick={onClose}>{t("console.close")}</Button>
        </>
      }
    >
      <ErrorNote error={log.error} />
      {!log.data ? (
        <Loading />
      ) : log.data.deliveries.length === 0 ? (
        <p class="muted">{t("console.channels.noDeliveries")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table compact">
            <thead>
              <tr>
                <th scope="col">{t("console.channels.created")}</th>
                <th scope="col">{t("console.channels.message")}</th>
                <th scope="col">{t("console.channels.status")}</th>
                <th scope="col" class="num">{t("console.channels.attempts")}</th>
                <th scope="col">{t("console.channels.sentAt")}</th>
                <th scope="col">{t("console.channels.lastError")}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                  <th scope="row">{when(d.createdAt)}</th>
                  <td>{d.messageKind}</td>
                  <td>
                    <Chip tone={d.status === "sent" ? "green" : d.status === "failed" ? "red" : "yellow"}>{t(`console.channels.delivery_${d.status}`)}</Chip>
                  </td>
                  <td class="num">{d.attempts}</td>
                  <td>{when(d.sentAt)}</td>
                  <td class="small break">{d.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
