/**
 * Small inline icons (no icon font, no emoji: the popup must look the same on machines without an emoji font).
 * 16 × 16 viewBox, stroked in the current colour.
 */
const PATHS = {
  target: "M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M8 4.5a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7M8 7.3a.7.7 0 1 0 0 1.4a.7.7 0 1 0 0-1.4",
  warning: "M8 1.8L15 14H1zM8 6v4M8 11.6v.4",
  mail: "M1.5 3.5h13v9h-13zM1.8 3.8L8 9l6.2-5.2",
  pin: "M5 1.5h6M6 1.5v5L3.5 9h9L10 6.5v-5M8 9v5.5",
  chart: "M1.5 14.5h13M3 11l3.5-4 3 2.5L14 3.5M10.5 3.5H14V7",
  flame: "M8 14.5c3 0 4.8-2 4.8-4.6C12.8 6.5 9.5 5 9.5 1.5 7 3 5.8 5 6.2 7.2 5.2 6.8 4.6 5.8 4.5 5 3.5 6.2 3.2 7.7 3.2 9.9c0 2.6 1.8 4.6 4.8 4.6z",
  coach: "M5.5 5.5a2.3 2.3 0 1 0 0-4.6a2.3 2.3 0 1 0 0 4.6M1 13.5c0-2.8 2-4.5 4.5-4.5S10 10.7 10 13.5M11.5 6.5a1.8 1.8 0 1 0 0-3.6a1.8 1.8 0 1 0 0 3.6M11.5 8.5c2 0 3.5 1.4 3.5 4",
  review: "M2.5 1.5h8l3 3v10h-11zM10.5 1.5v3h3M5 8h6M5 11h4",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, class: className }: { name: IconName; class?: string }) {
  return (
    <svg class={`icon${className ? ` ${className}` : ""}`} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d={PATHS[name]} fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
