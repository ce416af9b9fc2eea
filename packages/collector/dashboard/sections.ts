// The parts of a report both views show (the whole site's, or one post's): quotes with what their shares
// brought back, the course boxes' return, the comment prompt, where readers came from, the comments.
// Every stored string goes through a text binding.
import { html, nothing } from 'lit';
import type { CtaCampaign, CtaCell, QuoteReport, Report } from '../src/report/types.js';
import { count, money, rate, rateCi, safeHref, when } from './format.js';
import { postHref } from './route.js';

export const more = (n: number, what: string) => (n > 0 ? html`<p class="muted more">and ${count(n)} more ${what}</p>` : nothing);

/** Every network a quote's shares or arrivals named, busiest first. */
export const quoteNetworks = (quote: QuoteReport) =>
  [...new Set([...Object.keys(quote.networks), ...Object.keys(quote.arrivals)])].sort(
    (a, b) => (quote.networks[b] ?? 0) + (quote.arrivals[b] ?? 0) - (quote.networks[a] ?? 0) - (quote.arrivals[a] ?? 0) || a.localeCompare(b),
  );

function quote(q: QuoteReport, linkPost: boolean) {
  const networks = quoteNetworks(q);
  return html`<article class="quote" data-quote=${q.instance}>
    <blockquote>${q.text ?? `(quote ${q.instance})`}</blockquote>
    <p class="muted">
      ${linkPost && q.path ? html`<a href=${postHref(q.path)}>${q.path}</a> · ` : nothing}seen ${count(q.impressions)} times · share
      rate ${rate(q.shareRate)} · ${count(q.copies)} copied
    </p>
    <div class="scroll">
      <table>
        <thead>
          <tr><th scope="col" class="text">Network</th><th scope="col">Share clicks</th><th scope="col">Arrivals</th></tr>
        </thead>
        <tbody>
          ${networks.map(
            (n) => html`<tr data-network=${n}><th scope="row" class="text">${n}</th><td>${count(q.networks[n] ?? 0)}</td><td>${count(q.arrivals[n] ?? 0)}</td></tr>`,
          )}
        </tbody>
        <tfoot>
          <tr data-network="all"><th scope="row" class="text">All</th><td>${count(q.shares)}</td><td>${count(q.arrivalsTotal)}</td></tr>
        </tfoot>
      </table>
    </div>
    <p class="next" data-next>
      What arrivals did next: read ${count(q.next.read)} · shared ${count(q.next.share)} · clicked the course box
      ${count(q.next.click)} · commented ${count(q.next.comment)}
    </p>
  </article>`;
}

export const quotes = (report: Report, linkPost: boolean) => html`<section class="card wide" aria-labelledby="quotes-title">
  <h2 id="quotes-title">Quotes</h2>
  ${report.quotes.length ? report.quotes.map((q) => quote(q, linkPost)) : html`<p class="muted">No quote has been seen yet.</p>`}
  ${more(report.quotesMore, 'quotes')}
</section>`;

const cells = (c: CtaCell, ctrCi: CtaCell['conversionCi95'], currencies: string[]) => html`
  <td>${count(c.impressions)}</td>
  <td>${count(c.clicks)}</td>
  <td>${rateCi(c.ctr, ctrCi)}</td>
  <td>${count(c.conversions)}</td>
  <td>${rateCi(c.conversionRate, c.conversionCi95)}</td>
  <td>${money(c.revenue, currencies)}</td>
  <td>${money(c.revenuePerMille, currencies)}</td>
`;

function campaign(c: CtaCampaign) {
  const name = c.campaign ?? '(no campaign)';
  return html`<section class="card wide" data-campaign=${name} aria-label="Course box ${name}">
    <h2>Course box: ${name}</h2>
    <chorus-funnel-chart
      .steps=${[
        { label: 'Seen', value: c.impressions },
        { label: 'Clicked', value: c.clicks },
        { label: 'Converted', value: c.conversions },
      ]}
    ></chorus-funnel-chart>
    <p class="muted">
      Revenue ${money(c.revenue, c.currencies)}${c.currencies.length > 1 ? html` (in ${c.currencies.join(', ')})` : nothing}, or
      ${money(c.revenuePerMille, c.currencies)} per 1,000 viewable impressions.
    </p>
    <div class="scroll" tabindex="0" role="region" aria-label="Placements and variants of ${name}">
      <table>
        <thead>
          <tr>
            <th scope="col" class="text">Placement · variant</th>
            <th scope="col">Seen</th>
            <th scope="col">Clicks</th>
            <th scope="col">CTR (95%)</th>
            <th scope="col">Conversions</th>
            <th scope="col">Conversion rate (95%)</th>
            <th scope="col">Revenue</th>
            <th scope="col">Per 1,000 seen</th>
          </tr>
        </thead>
        <tbody>
          ${c.placements.map(
            (p) => html`<tr class="placement" data-placement=${p.instance}><th scope="row" class="text">${p.instance}</th>${cells(p, null, c.currencies)}</tr>
              ${p.variants.map(
                (v) => html`<tr data-placement=${p.instance} data-variant=${v.variant}><th scope="row" class="text variant">variant ${v.variant}</th>${cells(v, v.ci95, c.currencies)}</tr>`,
              )}`,
          )}
        </tbody>
        <tfoot>
          <tr data-placement="all"><th scope="row" class="text">All placements</th>${cells(c, null, c.currencies)}</tr>
        </tfoot>
      </table>
    </div>
    ${c.variants.length > 1
      ? html`<h3>Variants over every placement: click-through with its 95% interval</h3>
          <chorus-variant-chart .variants=${c.variants}></chorus-variant-chart>`
      : nothing}
  </section>`;
}

export const courseBoxes = (report: Report) => html`${report.ctas.length
  ? report.ctas.map(campaign)
  : html`<section class="card"><h2>Course boxes</h2><p class="muted">No course box has been seen yet.</p></section>`}
${more(report.ctasMore, 'campaigns')}`;

export const prompt = (report: Report) => html`<section class="card">
  <h2>Comment prompt</h2>
  <chorus-funnel-chart
    .steps=${[
      { label: 'Seen', value: report.prompt.impressions },
      { label: 'Opened', value: report.prompt.opens },
      { label: 'Commented', value: report.prompt.comments },
    ]}
  ></chorus-funnel-chart>
</section>`;

export const sources = (report: Report) => html`<section class="card" data-sources>
  <h2>Where readers came from</h2>
  <chorus-bar-list
    empty="No page views in this range."
    .items=${report.sources.map((s) => ({ label: s.source, value: s.pageviews }))}
  ></chorus-bar-list>
  ${more(report.sourcesMore, 'sources')}
</section>`;

export const comments = (report: Report) => html`<section class="card wide">
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
</section>`;
