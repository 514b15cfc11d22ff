/**
 * The pure domain engine (see README.md). Every rule is its own module; import from here or from the rule's file —
 * modules have no top-level side effects, so bundlers keep only what is used.
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
