// The posts of a site, sortable by every column: a button in each header, the sorted one marked with
// aria-sort. It starts in the report's own order (arrivals, then acted, then page views).
import { LitElement, css, html, nothing } from 'lit';
import type { PostReport } from '../src/report/types.js';
import { count, money } from './format.js';
import { postHref } from './route.js';
import { table } from './styles.js';

type Key = 'post' | 'pageviews' | 'readers' | 'reads' | 'acted' | 'arrivals' | 'conversions' | 'revenue';

export const POST_COLUMNS: [Key, string][] = [
  ['post', 'Post'],
  ['pageviews', 'Page views'],
  ['readers', 'Readers'],
  ['reads', 'Read'],
  ['acted', 'Acted'],
  ['arrivals', 'Arrivals'],
  ['conversions', 'Conversions'],
  ['revenue', 'Revenue'],
];

const label = (post: PostReport) => post.title || post.path;

export class PostsTable extends LitElement {
  static override properties = {
    posts: { attribute: false },
    currencies: { attribute: false },
    key: { state: true },
    descending: { state: true },
  };

  static override styles = [
    table,
    css`
      :host { display: block; }
      td.post { min-width: 9rem; max-width: 24rem; overflow-wrap: anywhere; }
      /* The post stays in view while the numbers scroll past it on a phone. */
      td.post, th:first-child { position: sticky; inset-inline-start: 0; background: Canvas; }
      .path { display: block; font-size: 0.8rem; color: var(--chorus-muted, #595959); }
    `,
  ];

  declare posts: PostReport[];
  declare currencies: string[];
  declare key: Key;
  declare descending: boolean;

  constructor() {
    super();
    this.posts = [];
    this.currencies = [];
    this.key = 'arrivals';
    this.descending = true;
  }

  private sortBy(key: Key) {
    if (key === this.key) this.descending = !this.descending;
    else {
      this.key = key;
      this.descending = key !== 'post'; // names A to Z, numbers largest first
    }
  }

  private sorted() {
    const { key } = this;
    const sign = this.descending ? -1 : 1;
    const compare = (a: PostReport, b: PostReport) =>
      key === 'post' ? label(a).localeCompare(label(b)) : a[key] - b[key];
    // Ties keep the report's order, whichever the direction.
    return this.posts
      .map((post, index) => ({ post, index }))
      .sort((a, b) => sign * compare(a.post, b.post) || a.index - b.index)
      .map(({ post }) => post);
  }

  override render() {
    return html`<div class="scroll" tabindex="0" role="region" aria-label="Table of posts">
      <table>
        <thead>
          <tr>
            ${POST_COLUMNS.map(
              ([key, name]) => html`<th scope="col" class=${key === 'post' ? 'text' : ''} aria-sort=${key === this.key ? (this.descending ? 'descending' : 'ascending') : nothing}>
                <button type="button" data-sort=${key} @click=${() => this.sortBy(key)}>${name}<span aria-hidden="true">${key === this.key ? (this.descending ? ' ↓' : ' ↑') : ''}</span></button>
              </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${this.sorted().map(
            (post) => html`<tr data-path=${post.path}>
              <td class="post text"><a href=${postHref(post.path)}>${label(post)}</a>${post.title ? html`<span class="path">${post.path}</span>` : ''}</td>
              <td>${count(post.pageviews)}</td>
              <td>${count(post.readers)}</td>
              <td>${count(post.reads)}</td>
              <td>${count(post.acted)}</td>
              <td>${count(post.arrivals)}</td>
              <td>${count(post.conversions)}</td>
              <td>${money(post.revenue, this.currencies)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}
