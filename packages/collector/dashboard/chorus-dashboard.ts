// The dashboard: sign in with the admin token, pick a site and a range; the first screen answers
// "audience or influence?" and lists the posts, and `#post=/path` opens one post's page. It refreshes
// itself while the tab is visible.
import { LitElement, css, html, nothing } from 'lit';
import type { Report } from '../src/report/types.js';
import { Unauthorized, fetchReport, fetchSites, forgetToken, saveToken, savedToken, type Query, type Site } from './api.js';
import { downloadCsv, slug, type Cell } from './csv.js';
import { count, money, rate, ratio, safeHref, time } from './format.js';
import { ctaRows, postRows, quoteRows } from './report-csv.js';
import { currentPost } from './route.js';
import { comments, courseBoxes, more, prompt, quotes, sources } from './sections.js';
import { table } from './styles.js';

const RANGES = [7, 30, 90, 365];
const DAY_MS = 24 * 3600 * 1000;
/** The report is asked again this long after the last answer, while the tab is visible. */
export const REFRESH_MS = 10_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

export class ChorusDashboard extends LitElement {
  static override properties = {
    token: { state: true },
    sites: { state: true },
    site: { state: true },
    days: { state: true },
    post: { state: true },
    report: { state: true },
    error: { state: true },
    loading: { state: true },
    refreshedAt: { state: true },
  };

  static override styles = [
    table,
    css`
      :host { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; box-sizing: border-box; --chorus-muted: color-mix(in srgb, CanvasText 68%, Canvas); }
      * { box-sizing: border-box; }
      header { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; justify-content: space-between; margin-bottom: 1rem; }
      h1 { font-size: 1.4rem; margin: 0; }
      h2 { font-size: 1rem; margin: 0 0 0.75rem; }
      h2.view { font-size: 1.25rem; overflow-wrap: anywhere; }
      h2:focus { outline: none; }
      h3 { font-size: 0.9rem; margin: 1rem 0 0.5rem; color: var(--chorus-muted, #595959); font-weight: 600; }
      .controls { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
      select, input, button { font: inherit; padding: 0.45rem 0.6rem; border-radius: 0.4rem; border: 1px solid color-mix(in srgb, CanvasText 25%, transparent); background: Canvas; color: CanvasText; min-height: 2.5rem; }
      button { cursor: pointer; }
      button.primary { background: var(--chorus-accent, #1d9bf0); border-color: transparent; color: white; }
      .grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 21rem), 1fr)); }
      .card { border: 1px solid color-mix(in srgb, CanvasText 12%, transparent); border-radius: 0.75rem; padding: 1rem; min-width: 0; }
      .wide { grid-column: 1 / -1; }
      .card-head { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; justify-content: space-between; }
      .stats { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 10rem), 1fr)); margin-bottom: 0.75rem; }
      .stat { border-radius: 0.75rem; padding: 0.75rem; background: color-mix(in srgb, var(--chorus-accent, #1d9bf0) 10%, Canvas); }
      .stat strong { display: block; font-size: 1.6rem; font-variant-numeric: tabular-nums; }
      .stat span { font-size: 0.85rem; }
      .stat small { display: block; font-size: 0.8rem; color: var(--chorus-muted, #595959); }
      .signin { max-width: 24rem; margin: 15vh auto; display: grid; gap: 0.75rem; }
      .error { color: #c0392b; }
      .muted { color: var(--chorus-muted, #595959); font-size: 0.85rem; }
      .explain { max-width: 48rem; }
      .more { margin: 0.5rem 0 0; }
      .quote + .quote { border-top: 1px solid color-mix(in srgb, CanvasText 10%, transparent); margin-top: 1rem; padding-top: 1rem; }
      blockquote { margin: 0 0 0.25rem; font-style: italic; overflow-wrap: anywhere; }
      .quote table { max-width: 28rem; }
      .next { font-size: 0.85rem; margin: 0.5rem 0 0; }
      tr.placement th, tfoot th { font-weight: 600; }
      @media (max-width: 30rem) { :host { padding: 0.75rem; } .card { padding: 0.75rem; } }
      th.variant { padding-inline-start: 1.25rem; font-weight: 400; }
      ul.comments { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
      ul.comments li { border-inline-start: 3px solid var(--chorus-accent, #1d9bf0); padding-inline-start: 0.75rem; overflow-wrap: anywhere; }
      .comment-text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.25rem 0; }
      .back { display: inline-block; margin-bottom: 0.5rem; }
    `,
  ];

  declare token: string | null;
  declare sites: Site[];
  declare site: string;
  declare days: number;
  declare post: string | null;
  declare report: Report | null;
  declare error: string;
  declare loading: boolean;
  declare refreshedAt: number;

  /** The request in flight: a new question aborts it, a timer's refresh waits for it. Never two at once. */
  private request: AbortController | null = null;
  private timer = 0;
  private query: Query | null = null;
  private focusView = false;

  constructor() {
    super();
    this.token = savedToken();
    this.sites = [];
    this.site = sessionStorage.getItem('chorus-site') ?? '';
    this.days = Number(sessionStorage.getItem('chorus-days')) || 30;
    this.post = currentPost();
    this.report = null;
    this.error = '';
    this.loading = false;
    this.refreshedAt = 0;
  }

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('hashchange', this.onHash);
    document.addEventListener('visibilitychange', this.onVisibility);
    if (this.token) void this.load();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.onHash);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.stop();
  }

  private onHash = () => {
    const post = currentPost();
    if (post === this.post) return;
    this.post = post;
    this.focusView = true;
    void this.load();
  };

  private onVisibility = () => {
    if (document.visibilityState !== 'visible') clearTimeout(this.timer);
    else if (Date.now() - this.refreshedAt >= REFRESH_MS) void this.load(true);
    else this.schedule();
  };

  private schedule() {
    clearTimeout(this.timer);
    if (this.token && this.isConnected && document.visibilityState === 'visible') {
      this.timer = window.setTimeout(() => document.visibilityState === 'visible' && void this.load(true), REFRESH_MS);
    }
  }

  private stop() {
    clearTimeout(this.timer);
    this.request?.abort();
    this.request = null;
  }

  /** Asks for the report; `refresh` is the timer's (or the tab's return): skipped while a request is in flight. */
  private async load(refresh = false) {
    if (!this.token || (refresh && this.request)) return;
    this.stop();
    const request = (this.request = new AbortController());
    const { signal } = request;
    this.loading = true;
    try {
      if (!this.sites.length) {
        this.sites = await fetchSites(this.token, signal);
        if (!this.sites.some((s) => s.name === this.site)) this.site = this.sites[0]?.name ?? '';
      }
      if (!this.site) {
        this.report = null;
        this.error = 'No site is configured on this collector: start it with --site NAME=ORIGIN.';
        return;
      }
      const now = Date.now();
      const query = { site: this.site, from: isoDay(now - (this.days - 1) * DAY_MS), to: isoDay(now), post: this.post };
      const report = await fetchReport(this.token, query, signal);
      if (signal.aborted) return;
      if (report.version !== 2) throw new Error(`The collector answers report version ${report.version ?? 1}; this dashboard reads version 2. Update the collector.`);
      this.query = query;
      this.report = report;
      this.error = '';
      this.refreshedAt = Date.now();
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof Unauthorized) this.signOut(error.message);
      else this.error = (error as Error).message;
    } finally {
      if (this.request === request) {
        this.request = null;
        this.loading = false;
        this.schedule();
      }
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
    this.stop();
    this.loading = false;
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

  private download(what: string, rows: Cell[][]) {
    const q = this.query;
    if (!q) return;
    downloadCsv(`chorus-${slug(q.site)}${q.post ? `-${slug(q.post)}` : ''}-${what}-${q.from}-to-${q.to}.csv`, rows);
  }

  protected override updated() {
    document.title = this.post ? `${this.post} · Chorus` : 'Chorus';
    if (this.focusView && this.report?.post === this.post) {
      this.focusView = false;
      this.renderRoot.querySelector<HTMLElement>('h2.view')?.focus();
    }
  }

  override render() {
    if (!this.token) {
      return html`<main><form class="signin" @submit=${this.signIn}>
        <h1>Chorus</h1>
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        <button class="primary" type="submit">Sign in</button>
        <p class="muted">The collector printed the token when it started (or it is the one given with --token). It is kept for this tab only.</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </form></main>`;
    }
    // A report for another view (the one before a click) is not shown under this one's title.
    const report = this.report && this.report.post === this.post ? this.report : null;
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
          <button class="refresh" @click=${() => this.load()} aria-busy=${this.loading ? 'true' : 'false'}>Refresh</button>
          <button class="signout" @click=${() => this.signOut()}>Sign out</button>
        </div>
      </header>
      <main>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${report
          ? report.post === null ? this.renderSite(report) : this.renderPost(report)
          : html`${this.post ? html`<a class="back" href="#">← All posts</a>` : nothing}${this.loading ? html`<p class="muted">Loading…</p>` : nothing}`}
        ${this.refreshedAt
          ? html`<p class="muted updated">Updated at ${time(this.refreshedAt)}; the report refreshes itself every ${REFRESH_MS / 1000} s while this tab is in front.</p>`
          : nothing}
      </main>
    `;
  }

  private stat(name: string, value: string, label: string, detail: unknown = nothing) {
    return html`<div class="stat" data-stat=${name}><strong>${value}</strong><span>${label}</span>${detail === nothing ? nothing : html`<small>${detail}</small>`}</div>`;
  }

  private explanation() {
    return html`<p class="muted explain">
      A <strong>share click</strong> is a reader opening a network's share window: an intent, since X (like most networks) never
      confirms that a post was published. An <strong>arrival</strong> is a reader who came to the blog through a link such a
      share carried: influence, not audience.
    </p>`;
  }

  private renderSite(report: Report) {
    const h = report.headline;
    const currencies = [...new Set(report.ctas.flatMap((c) => c.currencies))];
    const pageviews = report.series.map((d) => ({ day: d.day, value: Number(d.pageview ?? 0) }));
    const shares = report.series.map((d) => ({ day: d.day, value: Number(d.share ?? 0) }));
    return html`
      <section aria-labelledby="headline">
        <h2 class="view" id="headline" tabindex="-1">Audience or influence?</h2>
        <div class="stats">
          ${this.stat('readers', count(h.readers), 'readers reached', `${count(report.totals.pageview ?? 0)} page views`)}
          ${this.stat('actedRate', rate(h.actedRate), 'of them acted', `${count(h.acted)} shared, commented or clicked`)}
          ${this.stat('arrivals', count(h.arrivals), 'new readers brought back by their shares')}
          ${this.stat('arrivalsPer100Readers', ratio(h.arrivalsPer100Readers), 'arrivals per 100 readers')}
        </div>
        ${this.explanation()}
      </section>
      <div class="grid">
        <section class="card wide" aria-labelledby="posts-title">
          <div class="card-head">
            <h2 id="posts-title">Posts</h2>
            <button class="csv" data-csv="posts" @click=${() => this.download('posts', postRows(report))}>Download CSV</button>
          </div>
          ${report.posts.length
            ? html`<chorus-posts-table .posts=${report.posts} .currencies=${currencies}></chorus-posts-table>`
            : html`<p class="muted">No page views in this range yet.</p>`}
          ${more(report.postsMore, 'posts')}
          <p class="muted bots">Bot events ignored: ${count(report.botEventsIgnored)}</p>
          <p class="muted dropped">Events the trackers had to drop: ${count(report.trackerDropped)}</p>
        </section>
        <section class="card wide">
          <h2>Page views and shares per day</h2>
          <chorus-series-chart .points=${pageviews} label="Page views per day"></chorus-series-chart>
          <h3>Share clicks</h3>
          <chorus-series-chart .points=${shares} label="Share clicks per day"></chorus-series-chart>
          <p class="muted totals">
            Events in this range: ${Object.entries(report.totals).sort((a, b) => b[1] - a[1]).map(([type, n], i) => html`${i ? ' · ' : ''}${type} ${count(n)}`)}${Object.keys(report.totals).length ? '' : 'none'}
          </p>
        </section>
        ${quotes(report, true)} ${courseBoxes(report)} ${prompt(report)} ${sources(report)} ${comments(report)}
      </div>
    `;
  }

  private renderPost(report: Report) {
    const path = report.post ?? '';
    const post = report.posts[0];
    const h = report.headline;
    const currencies = [...new Set(report.ctas.flatMap((c) => c.currencies))];
    const origin = this.sites.find((s) => s.name === this.site)?.origins.find((o) => safeHref(o));
    const shares = report.series.map((d) => ({ day: d.day, value: Number(d.share ?? 0) }));
    return html`
      <section aria-labelledby="post-title">
        <a class="back" href="#">← All posts</a>
        <h2 class="view" id="post-title" tabindex="-1">${post?.title || path}</h2>
        <p class="muted">
          ${origin ? html`<a href=${origin.replace(/\/$/, '') + path} rel="noopener noreferrer" target="_blank">${path}</a>` : path}
        </p>
        ${post
          ? html`<div class="stats">
              ${this.stat('readers', count(h.readers), 'readers reached', `${count(post.pageviews)} page views · ${count(post.reads)} read it`)}
              ${this.stat('actedRate', rate(h.actedRate), 'of them acted', `${count(h.acted)} shared, commented or clicked`)}
              ${this.stat('arrivals', count(h.arrivals), 'new readers brought back by its shares')}
              ${this.stat('conversions', count(post.conversions), 'conversions', `${money(post.revenue, currencies)} revenue`)}
            </div>`
          : html`<p class="muted">No events for this post in this range.</p>`}
        ${this.explanation()}
        <p class="controls">
          <button class="csv" data-csv="quotes" @click=${() => this.download('quotes', quoteRows(report))}>Download quotes (CSV)</button>
          <button class="csv" data-csv="course-boxes" @click=${() => this.download('course-boxes', ctaRows(report))}>Download course boxes (CSV)</button>
        </p>
      </section>
      <div class="grid">
        ${quotes(report, false)} ${courseBoxes(report)} ${prompt(report)} ${sources(report)}
        <section class="card">
          <h2>Share clicks per day</h2>
          <chorus-series-chart .points=${shares} label="Share clicks per day"></chorus-series-chart>
        </section>
        ${comments(report)}
      </div>
    `;
  }
}
