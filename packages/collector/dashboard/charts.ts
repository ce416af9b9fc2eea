// Small SVG charts: no library, every label a text binding (so escaped), each chart described for
// screen readers. Bars scale with the container; the text stays HTML so it stays readable on a phone.
import { LitElement, css, html, nothing, svg } from 'lit';
import { count, day, rate } from './format.js';

const shared = css`
  :host { display: block; }
  .empty { color: var(--chorus-muted, #595959); margin: 0.5rem 0; }
  svg { display: block; width: 100%; overflow: visible; }
  .bar { fill: var(--chorus-accent, #1d9bf0); }
  .muted { fill: color-mix(in srgb, var(--chorus-accent, #1d9bf0) 25%, transparent); }
  .axis { display: flex; justify-content: space-between; font-size: 0.75rem; color: var(--chorus-muted, #595959); }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;

/** One value per day, as bars: shares over time. */
export class SeriesChart extends LitElement {
  static override properties = { points: { attribute: false }, label: {} };
  static override styles = [shared, css`svg { height: 9rem; } rect:hover { opacity: 0.7; }`];
  declare points: { day: string; value: number }[];
  declare label: string;

  constructor() {
    super();
    this.points = [];
    this.label = '';
  }

  override render() {
    const points = this.points;
    const max = Math.max(1, ...points.map((p) => p.value));
    const total = points.reduce((sum, p) => sum + p.value, 0);
    if (!points.length) return html`<p class="empty">No days in this range.</p>`;
    return html`
      <div class="axis"><span>${count(max)}</span></div>
      <svg viewBox="0 0 ${points.length} ${max}" preserveAspectRatio="none" role="img" aria-label="${this.label}: ${count(total)} over ${points.length} days">
        ${points.map(
          (p, i) => svg`<rect class="bar" x=${i + 0.1} width="0.8" y=${max - p.value} height=${p.value}><title>${day(p.day)}: ${count(p.value)}</title></rect>`,
        )}
      </svg>
      <div class="axis"><span>${day(points[0].day)}</span><span>${day(points[points.length - 1].day)}</span></div>
    `;
  }
}

export interface BarItem {
  label: string;
  value: number;
  /** A second line under the label (e.g. shares by network). */
  detail?: string;
  /** Shown instead of the value (e.g. a rate). */
  display?: string;
}

/** Labelled horizontal bars, longest first: top quotes, placements. */
export class BarList extends LitElement {
  static override properties = { items: { attribute: false }, empty: {} };
  static override styles = [
    shared,
    css`
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.6rem; }
      .row { display: grid; grid-template-columns: 1fr auto; gap: 0 0.75rem; align-items: baseline; }
      .label { overflow-wrap: anywhere; }
      .detail { grid-column: 1 / -1; font-size: 0.8rem; color: var(--chorus-muted, #595959); }
      .value { font-variant-numeric: tabular-nums; font-weight: 600; }
      svg { grid-column: 1 / -1; height: 0.5rem; border-radius: 0.25rem; }
    `,
  ];
  declare items: BarItem[];
  declare empty: string;

  constructor() {
    super();
    this.items = [];
    this.empty = 'Nothing yet.';
  }

  override render() {
    if (!this.items.length) return html`<p class="empty">${this.empty}</p>`;
    const max = Math.max(1, ...this.items.map((item) => item.value));
    return html`<ol>
      ${this.items.map(
        (item) => html`<li class="row">
          <span class="label">${item.label}</span>
          <span class="value">${item.display ?? count(item.value)}</span>
          <svg viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">
            <rect class="muted" width="100" height="1"></rect>
            <rect class="bar" width=${(100 * item.value) / max} height="1"></rect>
          </svg>
          ${item.detail ? html`<span class="detail">${item.detail}</span>` : nothing}
        </li>`,
      )}
    </ol>`;
  }
}

/** Steps of a funnel, each as wide as its share of the first, with the step-to-step rate. */
export class FunnelChart extends LitElement {
  static override properties = { steps: { attribute: false } };
  static override styles = [
    shared,
    css`
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
      .step { display: grid; grid-template-columns: minmax(5.5rem, auto) 1fr auto; gap: 0.75rem; align-items: center; }
      svg { height: 1.5rem; }
      .value { font-variant-numeric: tabular-nums; font-weight: 600; min-width: 3ch; text-align: end; }
      .conversion { font-size: 0.8rem; color: var(--chorus-muted, #595959); padding-inline-start: 6.25rem; }
    `,
  ];
  declare steps: { label: string; value: number }[];

  constructor() {
    super();
    this.steps = [];
  }

  override render() {
    const first = Math.max(1, this.steps[0]?.value ?? 0);
    return html`<ol>
      ${this.steps.map(
        (step, i) => html`
          ${i > 0 ? html`<li class="conversion">↓ ${rate(this.steps[i - 1].value ? step.value / this.steps[i - 1].value : null)}</li>` : nothing}
          <li class="step">
            <span>${step.label}</span>
            <svg viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">
              <rect class="muted" width="100" height="1"></rect>
              <rect class="bar" width=${Math.min(100, (100 * step.value) / first)} height="1"></rect>
            </svg>
            <span class="value">${count(step.value)}</span>
          </li>
        `,
      )}
    </ol>`;
  }
}

export interface VariantPoint {
  variant: string;
  impressions: number;
  clicks: number;
  ctr: number | null;
  ci95: { low: number; high: number } | null;
}

/** Click-through rate per variant with its 95% interval: overlapping intervals mean "no winner yet". */
export class VariantChart extends LitElement {
  static override properties = { variants: { attribute: false } };
  static override styles = [
    shared,
    css`
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
      .row { display: grid; grid-template-columns: minmax(4rem, auto) 1fr; gap: 0 0.75rem; align-items: center; }
      .name { font-weight: 600; overflow-wrap: anywhere; }
      .numbers { grid-column: 2; font-size: 0.8rem; color: var(--chorus-muted, #595959); }
      svg { height: 1rem; }
      line { stroke: var(--chorus-accent, #1d9bf0); stroke-width: 2; vector-effect: non-scaling-stroke; }
    `,
  ];
  declare variants: VariantPoint[];

  constructor() {
    super();
    this.variants = [];
  }

  override render() {
    const top = Math.max(0.01, ...this.variants.map((v) => v.ci95?.high ?? v.ctr ?? 0));
    const x = (r: number) => (100 * r) / top;
    return html`<ol>
      ${this.variants.map(
        (v) => html`<li class="row">
          <span class="name">${v.variant}</span>
          <svg viewBox="0 0 100 2" preserveAspectRatio="none" role="img" aria-label="${v.variant}: ${rate(v.ctr)}, 95% interval ${rate(v.ci95?.low)} to ${rate(v.ci95?.high)}">
            <rect class="muted" width="100" height="2"></rect>
            ${v.ci95 ? svg`<line x1=${x(v.ci95.low)} x2=${x(v.ci95.high)} y1="1" y2="1"></line>` : nothing}
            ${v.ctr !== null ? svg`<rect class="bar" x=${Math.max(0, x(v.ctr) - 0.75)} width="1.5" height="2"></rect>` : nothing}
          </svg>
          <span class="numbers">${rate(v.ctr)} (${rate(v.ci95?.low)}–${rate(v.ci95?.high)}) · ${count(v.clicks)} / ${count(v.impressions)}</span>
        </li>`,
      )}
    </ol>`;
  }
}
