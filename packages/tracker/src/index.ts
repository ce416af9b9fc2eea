export { configure, track, flush, optOut, optIn } from './tracker.js';
export type { Batch, Collector, CollectorFunction, TrackedEvent, TrackerOptions } from './tracker.js';
export { plausible, umami, ga4, gtm, segment } from './adapters.js';
