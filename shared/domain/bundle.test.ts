import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

/**
 * Bundle hygiene: the extension must be able to import one rule without pulling in the whole engine. esbuild bundles a tiny
 * entry that imports a single export from index.ts; the output must not contain code that belongs to other rules.
 */
async function bundle(entry: string): Promise<string> {
  const testPath = expect.getState().testPath ?? '';
  const resolveDir = testPath.slice(0, testPath.lastIndexOf('/'));
  const result = await build({
    stdin: { contents: entry, resolveDir, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    treeShaking: true,
    minify: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

// The bundle is not minified, so each rule's exported function keeps its name.
const MARKERS = {
  alerts: 'function evaluateAlerts(',
  allocation: 'function allocateLargestRemainder(',
  decomposition: 'function decomposeYear(',
  adjustment: 'function respreadRemaining(',
  incentives: 'function tierCrossings(',
  funnel: 'function computeFunnel(',
  prompts: 'function nextActionPrompts(',
  calendar: 'function localDay(',
  kpi: 'function kpiMinimums(',
  progress: 'function computeProgress(',
  // @date-fns/tz (the timezone library)
  timezoneLibrary: 'Intl.DateTimeFormat',
} as const;
type Marker = keyof typeof MARKERS;
const ALL = Object.keys(MARKERS) as Marker[];
const except = (...keep: Marker[]) => ALL.filter((m) => !keep.includes(m));

describe('tree shaking', () => {
  // Through the index, none of our other rules comes along. @date-fns/tz does not declare `sideEffects: false` and patches
  // its TZDate prototype at load time, so a bundler must keep it once anything imports the index (see README.md).
  test.each<[string, string, Marker[], Marker[]]>([
    ['kpiMinimums from the index', "import { kpiMinimums } from './index'; export const m = kpiMinimums('mid');", ['kpi'], except('kpi', 'timezoneLibrary')],
    ['computeProgress from the index', "import { computeProgress } from './index'; export const p = computeProgress;", ['progress'], except('progress', 'timezoneLibrary')],
    ['localDay from the index', "import { localDay } from './index'; export const d = localDay;", ['calendar', 'timezoneLibrary'], except('calendar', 'timezoneLibrary')],
    // Importing the rule's own module leaves even the timezone library out.
    ['kpiMinimums from its module', "import { kpiMinimums } from './kpi'; export const m = kpiMinimums('mid');", ['kpi'], except('kpi')],
    ['computeProgress from its module', "import { computeProgress } from './progress'; export const p = computeProgress;", ['progress'], except('progress')],
    ['computeFunnel from its module', "import { computeFunnel } from './funnel'; export const f = computeFunnel;", ['funnel'], except('funnel')],
  ])('%s', async (_name, entry, mustContain, mustNotContain) => {
    const output = await bundle(entry);
    for (const marker of mustContain) expect(output, marker).toContain(MARKERS[marker]);
    for (const marker of mustNotContain) expect(output, marker).not.toContain(MARKERS[marker]);
  });

  test('the markers are real: bundling the whole engine contains each of them', async () => {
    const output = await bundle("export * from './index';");
    for (const marker of ALL) expect(output, marker).toContain(MARKERS[marker]);
  });
});
