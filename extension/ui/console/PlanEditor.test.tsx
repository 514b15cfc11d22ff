// @vitest-environment happy-dom
import { beforeEach, describe, expect, test } from "vitest";
import fc from "fast-check";
import { useState } from "preact/hooks";
import { fakeBrowser } from "wxt/testing";
import { DEFAULT_CALENDAR } from "../../../shared/domain/calendar";
import { allocateToReps, decomposeYear } from "../../../shared/domain/decomposition";
import type { Plan } from "./plan";
import { PlanEditor, planFromPreview, serverSplitter, type Preview } from "./PlanEditor";
import { blur, click, fakeApi, mount, type, useEnglishMessages } from "./testing";

/**
 * The decomposition editor in a DOM: typing into any cell keeps every total exact — checked on what the table shows,
 * for chosen edits and for random sequences of edits (fast-check).
 */

const cal = DEFAULT_CALENDAR;
const REPS = [
  { id: "usr_a", name: "Li Lei", seniority: "junior" as const, rampPercent: 100, hireDate: null },
  { id: "usr_b", name: "Chen Jing", seniority: "mid" as const, rampPercent: 100, hireDate: null },
  { id: "usr_c", name: "Zhang Wei", seniority: "senior" as const, rampPercent: 50, hireDate: null },
];

/** What POST /v1/targets/decompose answers for an equal split (built with the same domain rules as the worker). */
function previewFor(year: number, annual: number, reps = REPS): Preview {
  const plan = decomposeYear({ year, annual, cal });
  const inputs = reps.map((r) => ({ repId: r.id, seniority: r.seniority, ramp: r.rampPercent / 100 }));
  const totals = new Map(reps.map((r) => [r.id, 0]));
  const quarters = plan.quarters.map((q) => ({
    key: q.period.key,
    start: q.period.start,
    end: q.period.end,
    amount: q.amount,
    months: q.months.map((m) => {
      const shares = allocateToReps(m.amount, inputs);
      for (const s of shares) totals.set(s.repId, totals.get(s.repId)! + s.amount);
      return { key: m.period.key, start: m.period.start, end: m.period.end, amount: m.amount, workingDays: m.days.length, reps: shares.map((s) => ({ repId: s.repId, amount: s.amount })) };
    }),
  }));
  return {
    year,
    metric: "revenue",
    scope: "org",
    subjectId: "org_1",
    reps,
    levels: [
      {
        level: "base",
        annual,
        quarters,
        weeks: plan.weeks.map((w) => ({ key: w.period.key, start: w.period.start, end: w.period.end, amount: w.amount, partial: w.partial })),
        repTotals: [...totals].map(([repId, amount]) => ({ repId, amount })),
      },
    ],
    levelBasisPoints: { stretch: 12_000, challenge: 15_000 },
    repSplit: { mode: "equal" },
    targetCount: 1 + 4 + 12 + 36,
  };
}

function Harness({ preview, onPlan }: { preview: Preview; onPlan: (plan: Plan) => void }) {
  const [plan, setPlan] = useState(() => planFromPreview(preview));
  onPlan(plan);
  return <PlanEditor preview={preview} plan={plan} onChange={setPlan} splitter={serverSplitter(preview, cal)} cal={cal} />;
}

const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);
/** Money as shown in an editable cell (major units) → minor units. */
const cents = (text: string) => Math.round(Number(text.replace(/,/g, "")) * 100);

async function setup(annual = 1_320_000_000) {
  const preview = previewFor(2026, annual);
  let latest: Plan | null = null;
  const view = await mount(<Harness preview={preview} onPlan={(p) => (latest = p)} />, fakeApi({}).api);
  // Open every quarter so every month and rep cell is on screen.
  for (const button of view.container.querySelectorAll<HTMLElement>("button.disclosure")) {
    if (button.getAttribute("aria-expanded") === "false") await click(button);
  }
  const cell = (key: string) => view.get(`cell-${key}`) as HTMLInputElement;
  const shown = () => ({
    year: cents(cell("year").value),
    quarters: [1, 2, 3, 4].map((q) => cents(cell(`2026-Q${q}`).value)),
    months: MONTHS.map((m) => cents(cell(m).value)),
    reps: MONTHS.map((m) => REPS.map((r) => cents(cell(`${m}-${r.id}`).value))),
  });
  const edit = async (key: string, text: string) => {
    await type(cell(key), text);
    await blur(cell(key));
  };
  return { view, cell, shown, edit, plan: () => latest! };
}

function expectExact(t: { year: number; quarters: number[]; months: number[]; reps: number[][] }) {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  expect(sum(t.quarters)).toBe(t.year);
  t.quarters.forEach((q, i) => expect(sum(t.months.slice(i * 3, i * 3 + 3))).toBe(q));
  t.months.forEach((m, i) => expect(sum(t.reps[i]!)).toBe(m));
}

beforeEach(async () => {
  fakeBrowser.reset();
  await useEnglishMessages();
  document.body.innerHTML = "";
});

describe("decomposition editor", () => {
  test("shows the API's plan with totals that add up", async () => {
    const { shown, view } = await setup();
    const t = shown();
    expect(t.year).toBe(1_320_000_000);
    expect(t.quarters).toEqual([330_000_000, 330_000_000, 330_000_000, 330_000_000]);
    expectExact(t);
    expect(view.get("plan-status").textContent).toContain("adds up exactly");
  });

  test("editing a month re-spreads its quarter's other months; quarter, year and rep rows follow", async () => {
    const { shown, edit, plan } = await setup();
    await edit("2026-01", "1000000");
    const t = shown();
    expect(t.months.slice(0, 3)).toEqual([100_000_000, 115_000_000, 115_000_000]);
    expect(t.quarters[0]).toBe(330_000_000);
    expect(t.year).toBe(1_320_000_000);
    expectExact(t);
    expect(plan().months[0]).toBe(100_000_000);
  });

  test("a rep cell moves the difference to that month's other reps only", async () => {
    const { shown, edit } = await setup();
    const before = shown();
    await edit("2026-03-usr_a", "50000.01");
    const t = shown();
    expect(t.reps[2]![0]).toBe(5_000_001);
    expect(t.months).toEqual(before.months);
    expectExact(t);
  });

  test("a value above its parent is refused next to the cell and changes nothing", async () => {
    const { shown, edit, view, cell } = await setup();
    const before = shown();
    await edit("2026-Q2", "9999999999");
    expect(view.get("cell-error-2026-Q2").textContent).toMatch(/At most 13,200,000/);
    expect(cell("2026-Q2").getAttribute("aria-invalid")).toBe("true");
    expect(cell("2026-Q2").getAttribute("aria-describedby")).toBe("err-2026-Q2");
    expect(shown()).toEqual(before);
    await edit("2026-Q2", "abc");
    expect(view.get("cell-error-2026-Q2").textContent).toMatch(/amount/);
  });

  test("property: any sequence of edits typed into the table keeps every shown total exact", async () => {
    const { shown, edit } = await setup(1_234_567_891);
    const keys = ["year", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", ...MONTHS, ...MONTHS.flatMap((m) => REPS.map((r) => `${m}-${r.id}`))];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...keys), fc.double({ min: 0, max: 1.05, noNaN: true })), { minLength: 1, maxLength: 5 }), async (edits) => {
        for (const [key, share] of edits) {
          const current = shown();
          const basis = key === "year" ? current.year : current.year / 4;
          const cents = Math.floor(basis * share);
          await edit(key, `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`);
          expectExact(shown());
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
