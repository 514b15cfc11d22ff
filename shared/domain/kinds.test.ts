import { describe, expect, test } from 'vitest';
import { ACTIVITY_KINDS, BEHAVIOUR_KINDS, FUNNEL_KINDS, SENIORITIES, isActivityKind, isBehaviourKind, isSeniority } from './kinds';

describe('kinds', () => {
  test('every behaviour and funnel kind is an activity kind, and nothing else is', () => {
    expect(new Set(ACTIVITY_KINDS)).toEqual(new Set([...BEHAVIOUR_KINDS, ...FUNNEL_KINDS]));
    expect(ACTIVITY_KINDS).toHaveLength(8);
  });

  test('funnel stages are in DOMAIN.md order', () => {
    expect(FUNNEL_KINDS).toEqual(['lead', 'first_contact', 'needs_confirmed', 'quote', 'won']);
  });

  test.each([
    ['touch', true, true],
    ['won', true, false],
    ['needs_confirmed', true, true],
    ['call', false, false],
    [42, false, false],
  ])('%s: activity kind %s, behaviour kind %s', (value, activity, behaviour) => {
    expect(isActivityKind(value)).toBe(activity);
    expect(isBehaviourKind(value)).toBe(behaviour);
  });

  test.each([
    ['junior', true],
    ['senior', true],
    ['lead', false],
  ])('isSeniority(%s) = %s', (value, expected) => {
    expect(isSeniority(value)).toBe(expected);
    expect(SENIORITIES.includes(value as never)).toBe(expected);
  });
});
