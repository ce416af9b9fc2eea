export { weightedLength } from './weighted-length.js';
export { NETWORKS, share, shareUrl, type Network, type ShareOptions, type FittedShare } from './share.js';
export { safeHttpUrl } from './safe-url.js';
export { EngagementEvent, contentHash, instanceId, type EngagementDetail, type EngagementType } from './engagement.js';
export { whenViewable, VIEWABLE_MS, VIEWABLE_RATIO } from './viewability.js';
export { readStored, writeStored } from './storage.js';
