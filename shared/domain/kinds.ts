/**
 * Activity kinds and seniorities (DOMAIN.md "Vocabulary").
 *
 * Behaviour kinds are the daily KPIs; funnel kinds are the sales stages in order. `needs_confirmed` is both.
 */
export const BEHAVIOUR_KINDS = ['touch', 'needs_confirmed', 'proposal_sent', 'demo_or_visit'] as const;
export const FUNNEL_KINDS = ['lead', 'first_contact', 'needs_confirmed', 'quote', 'won'] as const;
export const ACTIVITY_KINDS = [
  'touch',
  'needs_confirmed',
  'proposal_sent',
  'demo_or_visit',
  'lead',
  'first_contact',
  'quote',
  'won',
] as const;

export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export type BehaviourKind = (typeof BEHAVIOUR_KINDS)[number];
export type FunnelKind = (typeof FUNNEL_KINDS)[number];

export const SENIORITIES = ['junior', 'mid', 'senior'] as const;
export type Seniority = (typeof SENIORITIES)[number];

export function isActivityKind(value: unknown): value is ActivityKind {
  return typeof value === 'string' && (ACTIVITY_KINDS as readonly string[]).includes(value);
}

export function isBehaviourKind(value: unknown): value is BehaviourKind {
  return typeof value === 'string' && (BEHAVIOUR_KINDS as readonly string[]).includes(value);
}

export function isSeniority(value: unknown): value is Seniority {
  return typeof value === 'string' && (SENIORITIES as readonly string[]).includes(value);
}
