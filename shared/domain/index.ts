/**
 * The pure domain engine (see README.md). Every rule is its own module with no top-level side effects, so bundlers keep
 * only the rules that are used. Importing from this index also keeps @date-fns/tz (about 2 KB gzip: it patches its TZDate
 * prototype at load time and does not declare `sideEffects: false`); code that needs the smallest bundle and no calendar
 * (e.g. the extension's badge) can import the rule's own file instead, e.g. `shared/domain/kpi`.
 */
export * from './kinds';
export * from './day';
export * from './calendar';
export * from './kpi';
export * from './progress';
export * from './allocation';
export * from './decomposition';
export * from './adjustment';
export * from './alerts';
export * from './incentives';
export * from './funnel';
export * from './prompts';
