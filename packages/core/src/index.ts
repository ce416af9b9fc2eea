export { weightedLength } from './weighted-length.js';
export { exactFit } from './fit.js';
export { mastodonHost } from './mastodon.js';
export { NETWORKS, NETWORK_NAMES, share, shareUrl, shareWith, quickFit, isHostName, type Network, type ShareOptions, type FittedShare, type Fitted, type Fit } from './share.js';
export { safeHttpUrl } from './safe-url.js';
export { EngagementEvent, contentHash, instanceId, type EngagementDetail, type EngagementType } from './engagement.js';
export { whenViewable, VIEWABLE_MS, VIEWABLE_RATIO } from './viewability.js';
export { readStored, writeStored } from './storage.js';
export { TRACKER_QUERY, collectorConfigured, type DeliveryDetail } from './delivery.js';
