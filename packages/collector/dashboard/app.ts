// The dashboard's one script: defines its elements. Served at /dashboard/app.js.
import { BarList, FunnelChart, SeriesChart, VariantChart } from './charts.js';
import { ChorusDashboard } from './chorus-dashboard.js';
import { PostsTable } from './posts-table.js';

const elements: [string, CustomElementConstructor][] = [
  ['chorus-series-chart', SeriesChart],
  ['chorus-bar-list', BarList],
  ['chorus-funnel-chart', FunnelChart],
  ['chorus-variant-chart', VariantChart],
  ['chorus-posts-table', PostsTable],
  ['chorus-dashboard', ChorusDashboard],
];
for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);
