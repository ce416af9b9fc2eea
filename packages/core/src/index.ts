// The exact counting, share(), shareUrl(), weightedLength() and exactFit, is `@chorus/core/fit`, kept out of this
// entry so that no bundler puts it in a page's first load (see share.ts).
export { mastodonHost } from './mastodon.js';
export { NETWORKS, NETWORK_NAMES, shareWith, quickFit, isHostName, join, type Network, type ShareOptions, type FittedShare, type Fitted, type Fit } from './share.js';
export { safeHttpUrl } from './safe-url.js';
export { EngagementEvent, contentHash, instanceId, type EngagementDetail, type EngagementType } from './engagement.js';
export { whenViewable, VIEWABLE_MS, VIEWABLE_RATIO } from './viewability.js';
export { readStored, writeStored, type StorageArea } from './storage.js';
export { NETWORK_CODES, quoteTag, type ShareTarget } from './tag.js';
export { TRACKER_QUERY, collectorConfigured, type DeliveryDetail, type TrackerQuery } from './delivery.js';
export { SSR, asServer } from './hydration.js';
export type { EventMap, EventProps, VueEventProps } from './jsx.js';
