import { useState } from "preact/hooks";
import { SENIORITIES } from "../../../../shared/domain/kinds";
import { CreateTeamRequest, CreateUserRequest, ROLES, UpdateTeamRequest, UpdateUserRequest, type User } from "../../../../shared/schemas/users";
import type { RouteResponse } from "../../../../shared/api";
import { useApi } from "../api";
import { Button, Card, Checkbox, Chip, ErrorNote, Loading, PageTitle, SelectField, TextField } from "../components";
import { ErrorsScope } from "../components";
import { check, serverFieldErrors, type FieldErrors } from "../forms";
import { asBackgroundError, useLoad } from "../hooks";
import { QrCode, pairingLink } from "../QrCode";
import { useSession } from "../session";
import { locale, t } from "../t";
import type { BackgroundError } from "../../../messages";

/** Teams and people: the team tree, users (add, edit, deactivate), pairing codes (text + QR) and device tokens. */

type Team = RouteResponse<"listTeams">["teams"][number];

export interface TeamNode {
  team: Team;
  depth: number;
}

/** The teams as a depth-first tree (parents before children, siblings by name); teams whose parent is out of scope are roots. */
export function teamTree(teams: readonly Team[]): TeamNode[] {
  const ids = new Set(teams.map((team) => team.id));
  const children = new Map<string | null, Team[]>();
  for (const team of teams) {
    const parent = team.parentId && ids.has(team.parentId) ? team.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), team]);
  }
  const out: TeamNode[] = [];
  const walk = (parent: string | null, depth: number, seen: Set<string>) => {
    for (const team of [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(team.id)) continue;
      seen.add(team.id);
      out.push({ team, depth });
      walk(team.id, depth + 1, seen);
    }
  };
  walk(null, 0, new Set());
  return out;
}

export function PeoplePage() {
  const { user: me } = useSession();
  const api = useApi();
  const teams = useLoad(() => api.call("listTeams"), []);
  const users = useLoad(() => api.call("listUsers"), []);
  const [selectedTeam, setSelectedTeam] = useState<string | null>(null);
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const [teamForm, setTeamForm] = useState<Team | "new" | null>(null);
  const [pairingFor, setPairingFor] = useState<User | null>(null);
  const [devicesFor, setDevicesFor] = useState<User | null>(null);
  const isAdmin = me.role === "admin";

  if (teams.error || users.error) return <ErrorNote error={teams.error ?? users.error} />;
  if (!teams.data || !users.data) return <Loading />;

  const allTeams = teams.data.teams;
  const allUsers = users.data.users;
  const nameOf = (id: string | null) => (id ? (allUsers.find((u) => u.id === id)?.name ?? "—") : "—");
  const teamName = (id: string | null) => (id ? (allTeams.find((x) => x.id === id)?.name ?? "—") : "—");
  const shown = allUsers.filter((u) => (showInactive || u.active) && (selectedTeam === null || u.teamId === selectedTeam));
  const memberCount = (teamId: string) => allUsers.filter((u) => u.active && u.teamId === teamId).length;

  const reloadAll = () => {
    teams.reload();
    users.reload();
  };

  return (
    <div class="page">
      <PageTitle
        actions={
          <>
            {isAdmin ? (
              <Button testId="add-team" onClick={() => setTeamForm("new")}>
                {t("console.people.addTeam")}
              </Button>
            ) : null}
            <Button variant="primary" testId="add-user" onClick={() => setEditing("new")}>
              {t("console.people.addUser")}
            </Button>
          </>
        }
      >
        {t("console.nav.people")}
      </PageTitle>

      {teamForm ? (
        <TeamForm
          team={teamForm === "new" ? null : teamForm}
          teams={allTeams}
          users={allUsers}
          onDone={(changed) => {
            setTeamForm(null);
            if (changed) reloadAll();
          }}
        />
      ) : null}
      {editing ? (
        <UserForm
          user={editing === "new" ? null : editing}
          teams={allTeams}
          users={allUsers}
          defaultTeam={selectedTeam ?? (isAdmin ? null : me.teamId)}
          onDone={(changed) => {
            setEditing(null);
            if (changed) users.reload();
          }}
        />
      ) : null}
      {pairingFor ? <PairingPanel key={pairingFor.id} user={pairingFor} onClose={() => setPairingFor(null)} /> : null}
      {devicesFor ? <DevicesPanel key={devicesFor.id} user={devicesFor} onClose={() => setDevicesFor(null)} /> : null}

      <div class="split">
        <Card title={t("console.people.teams")} class="tree-card" testId="team-tree">
          <ul class="tree" aria-label={t("console.people.teams")}>
            <li>
              <button type="button" aria-pressed={selectedTeam === null} class="tree-item" onClick={() => setSelectedTeam(null)}>
                {t("console.people.everyone")} <span class="muted">({allUsers.filter((u) => u.active).length})</span>
              </button>
            </li>
            {teamTree(allTeams).map(({ team, depth }) => (
              <li key={team.id} style={{ paddingInlineStart: `${depth * 16}px` }}>
                <div class="row tree-row">
                  <button
                    type="button"
                    aria-pressed={selectedTeam === team.id}
                    class="tree-item"
                    data-testid={`team-${team.name}`}
                    onClick={() => setSelectedTeam(team.id)}
                  >
                    <span>{team.kind === "department" ? "▾ " : ""}{team.name}</span>{" "}
                    <span class="muted small">
                      {t(`console.people.kind_${team.kind}`)} · {nameOf(team.leaderId)} · {memberCount(team.id)}
                    </span>
                  </button>
                  {isAdmin ? (
                    <Button class="small" aria-label={t("console.people.editTeamNamed", [team.name])} onClick={() => setTeamForm(team)}>
                      {t("console.edit")}
                    </Button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
          {allTeams.length === 0 ? <p class="muted small">{t("console.people.noTeams")}</p> : null}
        </Card>

        <Card
          title={selectedTeam ? teamName(selectedTeam) : t("console.people.everyone")}
          actions={<Checkbox name="show-inactive" label={t("console.people.showInactive")} checked={showInactive} onChange={setShowInactive} />}
          testId="user-list"
        >
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("console.people.name")}</th>
                  <th scope="col">{t("console.people.role")}</th>
                  <th scope="col">{t("console.people.seniority")}</th>
                  <th scope="col">{t("console.people.team")}</th>
                  <th scope="col">{t("console.people.manager")}</th>
                  <th scope="col">{t("console.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((u) => {
                  const canEdit = isAdmin || (u.role === "rep" && u.id !== me.id);
                  return (
                    <tr key={u.id} data-testid={`user-${u.name}`} class={u.active ? "" : "inactive"}>
                      <th scope="row">
                        {u.name} {u.active ? null : <Chip tone="grey">{t("console.people.inactive")}</Chip>}
                        <div class="muted small">
                          {[u.email, u.hireDate ? `${t("console.people.hireDate")} ${u.hireDate}` : null, u.rampPercent < 100 ? `${t("console.people.ramp")} ${u.rampPercent}` : null]
                            .filter(Boolean)
                            .join(" · ")}
                        </div>
                      </th>
                      <td>{t(`role.${u.role}`)}</td>
                      <td>{t(`console.seniority.${u.seniority}`)}</td>
                      <td>{teamName(u.teamId)}</td>
                      <td>{nameOf(u.managerId)}</td>
                      <td>
                        <div class="row wrap actions">
                          {canEdit ? (
                            <Button class="small" aria-label={t("console.people.editNamed", [u.name])} testId={`edit-${u.name}`} onClick={() => setEditing(u)}>
                              {t("console.edit")}
                            </Button>
                          ) : null}
                          {u.active ? (
                            <Button class="small" aria-label={t("console.people.pairNamed", [u.name])} testId={`pair-${u.name}`} onClick={() => setPairingFor(u)}>
                              {t("console.people.pairingCode")}
                            </Button>
                          ) : null}
                          <Button class="small" aria-label={t("console.people.devicesNamed", [u.name])} testId={`devices-${u.name}`} onClick={() => setDevicesFor(u)}>
                            {t("console.people.devices")}
                          </Button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {shown.length === 0 ? <p class="muted small">{t("console.people.nobody")}</p> : null}
        </Card>
      </div>
    </div>
  );
}

interface UserDraft {
  name: string;
  email: string;
  role: User["role"];
  seniority: User["seniority"];
  teamId: string;
  managerId: string;
  hireDate: string;
  rampPercent: string;
  active: boolean;
}

export function UserForm(props: { user: User | null; teams: Team[]; users: User[]; defaultTeam: string | null; onDone: (changed: boolean) => void }) {
  const { user: me } = useSession();
  const api = useApi();
  const u = props.user;
  const [draft, setDraft] = useState<UserDraft>({
    name: u?.name ?? "",
    email: u?.email ?? "",
    role: u?.role ?? "rep",
    seniority: u?.seniority ?? "mid",
    teamId: u?.teamId ?? props.defaultTeam ?? "",
    managerId: u?.managerId ?? "",
    hireDate: u?.hireDate ?? "",
    rampPercent: String(u?.rampPercent ?? 100),
    active: u?.active ?? true,
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [busy, setBusy] = useState(false);
  const isAdmin = me.role === "admin";
  const set = (patch: Partial<UserDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const leaders = props.users.filter((x) => x.active && x.role !== "rep" && x.id !== u?.id);

  function submit(event: Event) {
    event.preventDefault();
    const ramp = draft.rampPercent.trim() === "" ? undefined : Number(draft.rampPercent);
    let request: Promise<unknown>;
    if (!u) {
      const body = {
        name: draft.name,
        ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
        role: draft.role,
        seniority: draft.seniority,
        ...(draft.teamId ? { teamId: draft.teamId } : {}),
        ...(draft.managerId ? { managerId: draft.managerId } : {}),
        ...(draft.hireDate ? { hireDate: draft.hireDate } : {}),
        rampPercent: ramp,
      };
      const checked = check(CreateUserRequest, body);
      if (!checked.ok) return setErrors(checked.errors);
      request = api.call("createUser", { body });
    } else {
      // Only what changed (role: admins only; the API refuses the rest anyway).
      const next = {
        name: draft.name,
        email: draft.email.trim() || null,
        role: draft.role,
        seniority: draft.seniority,
        teamId: draft.teamId || null,
        managerId: draft.managerId || null,
        hireDate: draft.hireDate || null,
        rampPercent: ramp,
        active: draft.active,
      };
      const body = Object.fromEntries(Object.entries(next).filter(([key, value]) => value !== (u as Record<string, unknown>)[key]));
      if (Object.keys(body).length === 0) return props.onDone(false);
      const checked = check(UpdateUserRequest, body);
      if (!checked.ok) return setErrors(checked.errors);
      request = api.call("updateUser", { params: { id: u.id }, body });
    }
    setBusy(true);
    setErrors({});
    setFailure(null);
    request
      .then(() => props.onDone(true))
      .catch((e: unknown) => {
        setFailure(asBackgroundError(e));
        setErrors(serverFieldErrors(e));
      })
      .finally(() => setBusy(false));
  }

  const roleOptions = (isAdmin ? ROLES : (["rep"] as const)).map((value) => ({ value, label: t(`role.${value}`) }));
  return (
    <Card title={u ? t("console.people.editUser", [u.name]) : t("console.people.addUser")} testId="user-form">
      <ErrorsScope.Provider value={errors}>
<form onSubmit={submit} noValidate class="form-grid">
        <TextField label={t("console.people.name")} name="name" value={draft.name} onInput={(name) => set({ name })} error={errors.name} required />
        <TextField label={t("console.people.email")} name="email" type="email" value={draft.email} onInput={(email) => set({ email })} error={errors.email} />
        {isAdmin ? (
          <SelectField label={t("console.people.role")} name="role" value={draft.role} onChange={(role) => set({ role })} options={roleOptions} error={errors.role} />
        ) : null}
        <SelectField
          label={t("console.people.seniority")}
          name="seniority"
          value={draft.seniority}
          onChange={(seniority) => set({ seniority })}
          options={SENIORITIES.map((value) => ({ value, label: t(`console.seniority.${value}`) }))}
          error={errors.seniority}
        />
        <SelectField
          label={t("console.people.team")}
          name="teamId"
          value={draft.teamId}
          onChange={(teamId) => set({ teamId })}
          options={[...(isAdmin ? [{ value: "", label: t("console.people.noTeam") }] : []), ...teamTree(props.teams).map(({ team, depth }) => ({ value: team.id, label: `${"  ".repeat(depth)}${team.name}` }))]}
          error={errors.teamId}
        />
        <SelectField
          label={t("console.people.manager")}
          name="managerId"
          value={draft.managerId}
          onChange={(managerId) => set({ managerId })}
          options={[{ value: "", label: isAdmin ? "—" : t("console.people.managerDefault") }, ...leaders.map((x) => ({ value: x.id, label: `${x.name} (${t(`role.${x.role}`)})` }))]}
          error={errors.managerId}
        />
        <TextField label={t("console.people.hireDate")} name="hireDate" type="date" value={draft.hireDate} onInput={(hireDate) => set({ hireDate })} error={errors.hireDate} />
        <TextField
          label={t("console.people.ramp")}
          name="rampPercent"
          type="number"
          min={0}
          max={100}
          value={draft.rampPercent}
          onInput={(rampPercent) => set({ rampPercent })}
          help={t("console.people.rampHelp")}
          error={errors.rampPercent}
        />
        {u && u.id !== me.id ? (
          <Checkbox name="active" label={t("console.people.active")} checked={draft.active} onChange={(active) => set({ active })} />
        ) : null}
        <div class="form-actions">
          <ErrorNote error={failure} />
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="user-save">
            {u ? t("console.save") : t("console.people.create")}
          </button>
          <Button onClick={() => props.onDone(false)}>{t("console.cancel")}</Button>
        </div>
      </form>
      </ErrorsScope.Provider>
    </Card>
  );
}

function TeamForm(props: { team: Team | null; teams: Team[]; users: User[]; onDone: (changed: boolean) => void }) {
  const api = useApi();
  const team = props.team;
  const [name, setName] = useState(team?.name ?? "");
  const [kind, setKind] = useState<Team["kind"]>(team?.kind ?? "team");
  const [parentId, setParentId] = useState(team?.parentId ?? "");
  const [leaderId, setLeaderId] = useState(team?.leaderId ?? "");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [busy, setBusy] = useState(false);

  function submit(event: Event) {
    event.preventDefault();
    let request: Promise<unknown>;
    if (!team) {
      const body = { name, kind, ...(parentId ? { parentId } : {}), ...(leaderId ? { leaderId } : {}) };
      const checked = check(CreateTeamRequest, body);
      if (!checked.ok) return setErrors(checked.errors);
      request = api.call("createTeam", { body });
    } else {
      const next = { name, parentId: parentId || null, leaderId: leaderId || null };
      const body = Object.fromEntries(Object.entries(next).filter(([key, value]) => value !== (team as Record<string, unknown>)[key]));
      if (Object.keys(body).length === 0) return props.onDone(false);
      const checked = check(UpdateTeamRequest, body);
      if (!checked.ok) return setErrors(checked.errors);
      request = api.call("updateTeam", { params: { id: team.id }, body });
    }
    setBusy(true);
    setErrors({});
    request
      .then(() => props.onDone(true))
      .catch((e: unknown) => {
        setFailure(asBackgroundError(e));
        setErrors(serverFieldErrors(e));
      })
      .finally(() => setBusy(false));
  }

  const parents = props.teams.filter((x) => x.id !== team?.id);
  return (
    <Card title={team ? t("console.people.editTeam", [team.name]) : t("console.people.addTeam")} testId="team-form">
      <ErrorsScope.Provider value={errors}>
<form onSubmit={submit} noValidate class="form-grid">
        <TextField label={t("console.people.teamName")} name="name" value={name} onInput={setName} error={errors.name} required />
        {!team ? (
          <SelectField
            label={t("console.people.teamKind")}
            name="kind"
            value={kind}
            onChange={setKind}
            options={(["team", "department"] as const).map((value) => ({ value, label: t(`console.people.kind_${value}`) }))}
            error={errors.kind}
          />
        ) : null}
        <SelectField
          label={t("console.people.parent")}
          name="parentId"
          value={parentId}
          onChange={setParentId}
          options={[{ value: "", label: "—" }, ...parents.map((x) => ({ value: x.id, label: x.name }))]}
          error={errors.parentId}
        />
        <SelectField
          label={t("console.people.leader")}
          name="leaderId"
          value={leaderId}
          onChange={setLeaderId}
          options={[{ value: "", label: "—" }, ...props.users.filter((u) => u.active && u.role !== "rep").map((u) => ({ value: u.id, label: u.name }))]}
          error={errors.leaderId}
        />
        <div class="form-actions">
          <ErrorNote error={failure} />
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="team-save">
            {team ? t("console.save") : t("console.people.create")}
          </button>
          <Button onClick={() => props.onDone(false)}>{t("console.cancel")}</Button>
        </div>
      </form>
      </ErrorsScope.Provider>
    </Card>
  );
}

function PairingPanel({ user, onClose }: { user: User; onClose: () => void }) {
  const api = useApi();
  const { serverUrl } = useSession();
  const [code, setCode] = useState<RouteResponse<"createPairingCode"> | null>(null);
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [busy, setBusy] = useState(false);

  function create() {
    setBusy(true);
    setFailure(null);
    api
      .call("createPairingCode", { body: { userId: user.id } })
      .then(setCode, (e: unknown) => setFailure(asBackgroundError(e)))
      .finally(() => setBusy(false));
  }

  const expires = code ? new Intl.DateTimeFormat(locale(), { timeStyle: "short" }).format(new Date(code.expiresAt)) : "";
  return (
    <Card title={t("console.people.pairingFor", [user.name])} testId="pairing-panel" actions={<Button onClick={onClose}>{t("console.close")}</Button>}>
      <p class="muted small">{t("console.people.pairingHelp")}</p>
      {code ? (
        <div class="pairing">
          <div>
            <p class="pairing-code" data-testid="pairing-code-text" aria-label={t("console.people.pairingCode")}>
              {code.code.slice(0, 4)} {code.code.slice(4)}
            </p>
            <p class="small">{t("console.people.pairingExpires", [expires])}</p>
            <p class="small muted">
              {t("console.people.pairingServer")} <code>{serverUrl}</code>
            </p>
          </div>
          <QrCode text={pairingLink(serverUrl, code.code)} label={t("console.people.pairingQr", [code.code])} />
        </div>
      ) : null}
      <ErrorNote error={failure} />
      <Button variant="primary" disabled={busy} testId="create-pairing-code" onClick={create}>
        {code ? t("console.people.pairingNew") : t("console.people.pairingCreate")}
      </Button>
    </Card>
  );
}

function DevicesPanel({ user, onClose }: { user: User; onClose: () => void }) {
  const api = useApi();
  const tokens = useLoad(() => api.call("listTokens", { query: { userId: user.id } }), [user.id]);
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const when = (iso: string | null) => (iso ? new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)) : "—");

  function revoke(id: string) {
    setFailure(null);
    api.call("revokeToken", { params: { id } }).then(tokens.reload, (e: unknown) => setFailure(asBackgroundError(e)));
  }

  return (
    <Card title={t("console.people.devicesOf", [user.name])} testId="devices-panel" actions={<Button onClick={onClose}>{t("console.close")}</Button>}>
      <ErrorNote error={tokens.error ?? failure} />
      {!tokens.data ? (
        <Loading />
      ) : tokens.data.tokens.length === 0 ? (
        <p class="muted">{t("console.people.noDevices")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t("console.people.device")}</th>
                <th scope="col">{t("console.people.pairedAt")}</th>
                <th scope="col">{t("console.people.lastUsed")}</th>
                <th scope="col">{t("console.people.status")}</th>
                <th scope="col">{t("console.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((token) => (
                <tr key={token.id} data-testid="device-row">
                  <th scope="row">{token.label ?? token.id}</th>
                  <td>{when(token.createdAt)}</td>
                  <td>{when(token.lastUsedAt)}</td>
                  <td>{token.revokedAt ? <Chip tone="grey">{t("console.people.revoked")}</Chip> : <Chip tone="green">{t("console.people.activeToken")}</Chip>}</td>
                  <td>
                    {token.revokedAt ? null : (
                      <Button class="small" variant="danger" testId="revoke-token" aria-label={t("console.people.revokeNamed", [token.label ?? token.id])} onClick={() => revoke(token.id)}>
                        {t("console.people.revoke")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
