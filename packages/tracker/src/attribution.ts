// The author's course site, reached from a <course-cta> link (utm_medium=chorus, utm_source=<this site>):
// the course box's campaign, placement and variant, and the post it was on, kept for the tab
// (sessionStorage: no cookie, nothing shared with other tabs) and given to the conversions the site
// records with track(). Loaded only on such a page, or once the tab holds an attribution.
import type { Start } from './tracker.js';

// The tracker's ATTRIBUTION, spelt out: this file imports nothing (what it shared with the tracker
// would be split off into a chunk of its own by an app's bundler).
const ATTRIBUTION = 'chorus:attribution';

interface Attribution {
  campaign?: string;
  instance: string;
  variant?: string;
  post?: string;
}

const kept = (value: string | null, max: number) => value?.slice(0, max) || undefined;

export const start: Start = (_, hooks, site) => {
  const query = new URLSearchParams(location.search);
  let attribution: Attribution | undefined;
  try {
    if (query.get('utm_medium') == 'chorus' && query.get('utm_source') == site && query.get('utm_content')) {
      attribution = {
        campaign: kept(query.get('utm_campaign'), 128),
        instance: kept(query.get('utm_content'), 128)!,
        variant: kept(query.get('utm_term'), 64),
        post: kept(query.get('chorus_post'), 2048),
      };
      sessionStorage.setItem(ATTRIBUTION, JSON.stringify(attribution));
    } else {
      attribution = JSON.parse(sessionStorage.getItem(ATTRIBUTION)!);
    }
  } catch {
    // Storage refused (this page keeps the attribution it landed with), or held something unreadable.
  }
  if (typeof attribution?.instance != 'string') return;
  const { campaign, instance, variant, post } = attribution;
  // What the site records itself (a purchase, a signup), not the tracker's page views and reads.
  hooks.push((detail) =>
    detail.widget == 'page' && detail.type != 'pageview' && detail.type != 'read'
      ? { ...detail, widget: 'course-cta', instance, campaign, variant, props: { ...detail.props, ...(post ? { post } : {}) } }
      : detail,
  );
};
