// The dashboard: sign in with the admin token, pick a site and a range, read the report as charts.
import { LitElement, css, html, nothing } from 'lit';
import { Unauthorized, fetchReport, fetchSites, forgetToken, saveToken, savedToken, type Site } from './api.js';
import { count, rate, safeHref, when } from './format.js';
import type { CtaCampaign, Report } from '../src/report.js';

const RANGES = [7, 30, 90, 365];
const DAY_MS = 24 * 3600 * 1000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const TOTALS = ['impression', 'share', 'copy', 'click', 'open', 'comment', 'dismiss'];

export class ChorusDashboard extends LitElement {
  static override properties = {
    token: { state: true },
    sites: { state: true },
    site: { state: true },
    days: { state: true },
    report: { state: true },
    error: { state: true },
    loading: { state: true },
  };

  static override styles = css`
    :host { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; box-sizing: border-box; }
    * { box-sizing: border-box; }
    header { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; justify-content: space-between; margin-bottom: 1rem; }
    h1 { font-size: 1.4rem; margin: 0; }
    h2 { font-size: 1rem; margin: 0 0 0.75rem; }
    h3 { font-size: 0.9rem; margin: 1rem 0 0.5rem; color: GrayText; font-weight: 600; }
    .controls { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    select, input, button { font: inherit; padding: 0.45rem 0.6rem; border-radius: 0.4rem; border: 1px solid color-mix(in srgb, CanvasText 25%, transparent); background: Canvas; color: CanvasText; min-height: 2.5rem; }
    button { cursor: pointer; }
    button.primary { background: var(--chorus-accent, #1d9bf0); border-color: transparent; color: white; }
    .grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 21rem), 1fr)); }
    .card { border: 1px solid color-mix(in srgb, CanvasText 12%, transparent); border-radius: 0.75rem; padding: 1rem; min-width: 0; }
    .wide { grid-column: 1 / -1; }
    .totals { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fit, minmax(7rem, 1fr)); margin-bottom: 1rem; }
    .total { border-radius: 0.75rem; padding: 0.75rem; background: color-mix(in srgb, var(--chorus-accent, #1d9bf0) 10%, Canvas); }
    .total strong { display: block; font-size: 1.4rem; font-variant-numeric: tabular-nums; }
    .total span { font-size: 0.8rem; color: GrayText; }
    .signin { max-width: 24rem; margin: 15vh auto; display: grid; gap: 0.75rem; }
    .error { color: #c0392b; }
    .muted { color: GrayText; font-size: 0.85rem; }
    ul.comments { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
    ul.comments li { border-inline-start: 3px solid var(--chorus-accent, #1d9bf0); padding-inline-start: 0.75rem; }
    .comment-text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.25rem 0; }
    a { color: inherit; }
  `;

  declare token: string | null;
  declare sites: Site[];
  declare site: string;
  declare days: number;
  declare report: Report | null;
  declare error: string;
  declare loading: boolean;

  constructor() {
    super();
    this.token = savedToken();
    this.sites = [];
    this.site = sessionStorage.getItem('chorus-site') ?? '';
    this.days = Number(sessionStorage.getItem('chorus-days')) || 30;
    this.report = null;
    this.error = '';
    this.loading = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.token) void this.load();
  }

  private async load() {
    if (!this.token) return;
    this.loading = true;
    this.error = '';
    try {
      if (!this.sites.length) {
        this.sites = await fetchSites(this.token);
        if (!this.sites.some((s) => s.name === this.site)) this.site = this.sites[0]?.name ?? '';
      }
      if (!this.site) {
        this.report = null;
        this.error = 'No site is configured on this collector: start it with --site NAME=ORIGIN.';
        return;
      }
      const now = Date.now();
      this.report = await fetchReport(this.token, this.site, isoDay(now - (this.days - 1) * DAY_MS), isoDay(now));
    } catch (error) {
      if (error instanceof Unauthorized) this.signOut(error.message);
      else this.error = (error as Error).message;
    } finally {
      this.loading = false;
    }
  }

  private async signIn(event: SubmitEvent) {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('token') as HTMLInputElement;
    const token = input.value.trim();
    if (!token) return;
    try {
      this.sites = await fetchSites(token);
    } catch (error) {
      this.error = (error as Error).message;
      return;
    }
    saveToken(token);
    this.token = token;
    this.site = this.sites.some((s) => s.name === this.site) ? this.site : (this.sites[0]?.name ?? '');
    await this.load();
  }

  private signOut(reason = '') {
    forgetToken();
    this.token = null;
    this.sites = [];
    this.report = null;
    this.error = reason;
  }

  private choose(key: 'site' | 'days', value: string) {
    if (key === 'site') this.site = value;
    else this.days = Number(value);
    sessionStorage.setItem(`chorus-${key}`, value);
    void this.load();
  }

  override render() {
    if (!this.token) {
      return html`<form class="signin" @submit=${this.signIn}>
        <h1>Chorus</h1>
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        <button class="primary" type="submit">Sign in</button>
        <p class="muted">The collector printed the token when it started (or it is the one given with --token). It is kept for this tab only.</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </form>`;
    }
    return html`
      <header>
        <h1>Chorus</h1>
        <div class="controls">
          <label class="muted" for="site">Site</label>
          <select id="site" @change=${(e: Event) => this.choose('site', (e.target as HTMLSelectElement).value)}>
            ${this.sites.map((s) => html`<option value=${s.name} ?selected=${s.name === this.site}>${s.name}</option>`)}
          </select>
          <select aria-label="Range" @change=${(e: Event) => this.choose('days', (e.target as HTMLSelectElement).value)}>
            ${RANGES.map((d) => html`<option value=${d} ?selected=${d === this.days}>Last ${d} days</option>`)}
          </select>
          <button @click=${() => this.load()} ?disabled=${this.loading}>${this.loading ? 'Loading…' : 'Refresh'}</button>
          <button @click=${() => this.signOut()}>Sign out</button>
        </div>
      </header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.report ? this.renderReport(this.report) : nothing}
    `;
  }

  private renderReport(report: Report) {
    const shareSeries = report.series.map((d) => ({ day: d.day, value: Number(d.share ?? 0) }));
    const others = Object.keys(report.totals).filter((type) => !TOTALS.includes(type));
    return html`
      <section class="totals" aria-label="Totals">
        ${[...TOTALS, ...others].map(
          (type) => html`<div class="total"><strong>${count(report.totals[type] ?? 0)}</strong><span>${type}</span></div>`,
        )}
      </section>
      <div class="grid">
        <section class="card wide">
          <h2>Shares over time</h2>
          <chorus-series-chart .points=${shareSeries} label="Shares per day"></chorus-series-chart>
        </section>
        <section class="card">
          <h2>Top quotes</h2>
          <chorus-bar-list
            empty="No quote has been seen yet."
            .items=${report.quotes.slice(0, 10).map((q) => ({
              label: q.text ?? `(${q.instance})`,
              value: q.shares,
              detail: `${Object.entries(q.networks).map(([n, c]) => `${n} ${count(c)}`).join(' · ') || 'no shares'} — share rate ${rate(q.shareRate)} of ${count(q.impressions)} views`,
            }))}
          ></chorus-bar-list>
        </section>
        <section class="card">
          <h2>Comment prompt</h2>
          <chorus-funnel-chart
            .steps=${[
              { label: 'Seen', value: report.prompt.impressions },
              { label: 'Opened', value: report.prompt.opens },
              { label: 'Commented', value: report.prompt.comments },
            ]}
          ></chorus-funnel-chart>
        </section>
        ${report.ctas.length ? report.ctas.map((c) => this.renderCampaign(c)) : html`<section class="card"><h2>Course boxes</h2><p class="muted">No course box has been seen yet.</p></section>`}
        <section class="card wide">
          <h2>Comments</h2>
          ${report.comments.length
            ? html`<ul class="comments">
                ${report.comments.map(
                  (c) => html`<li>
                    <strong>${c.name ?? 'Anonymous'}</strong>
                    <span class="muted">· ${when(c.at)} · <a href=${safeHref(c.url) ?? nothing} rel="noopener noreferrer" target="_blank">${c.title || c.url}</a></span>
                    <p class="comment-text">${c.text ?? ''}</p>
                  </li>`,
                )}
              </ul>`
            : html`<p class="muted">No comments in this range.</p>`}
        </section>
      </div>
    `;
  }

  private renderCampaign(campaign: CtaCampaign) {
    return html`<section class="card">
      <h2>Course box: ${campaign.campaign ?? '(no campaign)'}</h2>
      <chorus-funnel-chart
        .steps=${[
          { label: 'Seen', value: campaign.impressions },
          { label: 'Clicked', value: campaign.clicks },
        ]}
      ></chorus-funnel-chart>
      <h3>Click-through by placement</h3>
      <chorus-bar-list
        .items=${campaign.placements.map((p) => ({ label: p.instance, value: p.ctr ?? 0, display: `${rate(p.ctr)} (${count(p.clicks)}/${count(p.impressions)})` }))}
      ></chorus-bar-list>
      ${campaign.variants.length
        ? html`<h3>Variants, with 95% intervals</h3>
            <chorus-variant-chart .variants=${campaign.variants}></chorus-variant-chart>`
        : nothing}
    </section>`;
  }
}
