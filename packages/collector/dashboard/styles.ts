import { css } from 'lit';

/** Tables: numbers right-aligned and tabular; the table scrolls inside its card on a narrow screen. */
export const table = css`
  .scroll { overflow-x: auto; max-width: 100%; }
  .scroll:focus-visible { outline: 2px solid var(--chorus-accent, #1d9bf0); }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { padding: 0.4rem 0.5rem; text-align: end; border-bottom: 1px solid color-mix(in srgb, CanvasText 10%, transparent); white-space: nowrap; vertical-align: top; }
  thead th { font-size: 0.8rem; font-weight: 600; color: var(--chorus-muted, #595959); }
  tbody th, tfoot th { font-weight: 400; }
  .text { text-align: start; white-space: normal; }
  th button { font: inherit; color: inherit; background: none; border: 0; padding: 0.2rem 0; cursor: pointer; text-align: inherit; white-space: nowrap; }
  th button:focus-visible { outline: 2px solid var(--chorus-accent, #1d9bf0); }
  th[aria-sort='ascending'], th[aria-sort='descending'] { color: CanvasText; }
  a { color: inherit; }
`;
