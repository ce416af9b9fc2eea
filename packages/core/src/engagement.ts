/** What a reader did. Widgets add their own types; these are the ones Chorus widgets dispatch. */
export type EngagementType =
  | 'impression'
  | 'share'
  | 'copy'
  | 'click'
  | 'open'
  | 'comment'
  | 'dismiss'
  | (string & {});

export interface EngagementDetail {
  type: EngagementType;
  /** The tag name of the widget, e.g. `quote-to-tweet`. */
  widget: string;
  /** Stable for one widget on one page: its `id`, else a short hash of its content. */
  instance: string;
  network?: string;
  campaign?: string;
  variant?: string;
  props?: Record<string, string | number | boolean>;
}

/**
 * The one event every Chorus widget dispatches when a reader acts (never for programmatic changes).
 * It bubbles and is composed, so a single listener on `document` (the tracker) hears every widget.
 */
export class EngagementEvent extends Event {
  static readonly type = 'chorus-engagement';

  constructor(readonly detail: EngagementDetail) {
    super(EngagementEvent.type, { bubbles: true, composed: true });
  }
}

// Every element, the document and the window (which all extend this map) hear it, typed.
declare global {
  interface GlobalEventHandlersEventMap {
    'chorus-engagement': EngagementEvent;
  }
}

/** A short, stable hash (FNV-1a, base 36) that tells a widget's content apart from its neighbours'. */
export function contentHash(content: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < content.length; i++) {
    hash = Math.imul(hash ^ content.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** A widget's instance id: its own `id` attribute when it has one, else a hash of its content. */
export const instanceId = (element: Element, content: string): string => element.id || contentHash(content);
