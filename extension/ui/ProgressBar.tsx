/** A horizontal bar for a ratio (clamped to 0–100 %), with an optional "expected by now" tick. */
export function ProgressBar(props: { value: number; color: string; marker?: number; thin?: boolean }) {
  const width = `${Math.round(Math.min(1, Math.max(0, props.value)) * 100)}%`;
  const marker = props.marker === undefined ? null : Math.min(1, Math.max(0, props.marker));
  return (
    <div class={`bar${props.thin ? " thin" : ""}`} role="presentation">
      <div class="bar-fill" style={{ width, background: props.color }} />
      {marker !== null && <div class="bar-marker" style={{ left: `${marker * 100}%` }} />}
    </div>
  );
}
