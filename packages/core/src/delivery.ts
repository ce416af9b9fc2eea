import type { EngagementDetail } from './engagement.js';

// How a widget that needs an answer (an inline comment) works with whatever tracker the page runs,
// without importing it: both halves are plain DOM events.

/**
 * Dispatched on `document` by a widget: a tracker that sends events to a collector sets `configured`,
 * and `site`, the site name it sends them under.
 */
export const TRACKER_QUERY = 'chorus-tracker-query';

/** The TRACKER_QUERY event, as a tracker answers it (synchronously). */
export interface TrackerQuery extends Event {
  configured?: boolean;
  site?: string;
}

/** The detail of an engagement whose widget wants to know whether a collector accepted it. */
export interface DeliveryDetail extends EngagementDetail {
  /** The event's id, the same for every send of the same content: collectors deduplicate on it. */
  id: string;
  /**
   * Called by the tracker after each attempt to deliver the event (it goes out at once): `true` when a
   * collector accepted it (2xx), `false` when one refused it or could not be reached. Unreached events
   * are retried as usual, so a `false` may be followed by a `true`.
   */
  settle: (accepted: boolean) => void;
}

/** Whether a tracker on this page sends engagement events to a collector. */
export function collectorConfigured(): boolean {
  const query = Object.assign(new Event(TRACKER_QUERY), { configured: false });
  document.dispatchEvent(query);
  return !!query.configured;
}
