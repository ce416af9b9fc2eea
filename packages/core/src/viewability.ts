/** The IAB/MRC display standard: half of the element on screen for one continuous second. */
export const VIEWABLE_RATIO = 0.5;
export const VIEWABLE_MS = 1000;

/**
 * Calls `onViewable` once, the first time at least half of `element` has been visible for one
 * continuous second while the tab is visible. Returns a function that stops watching; call it when
 * the element is disconnected (a reconnected element starts a new watch; the caller keeps the
 * "already counted" flag so an impression still counts once per page view). Where there is no
 * IntersectionObserver it never calls `onViewable`.
 */
export function whenViewable(element: Element, onViewable: () => void): () => void {
  // Without IntersectionObserver (jsdom in unit tests, a server that connects elements) nothing is ever seen.
  if (!globalThis.IntersectionObserver) return () => {};
  let inView = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const update = () => {
    if (inView && document.visibilityState === 'visible') {
      timer ??= setTimeout(() => {
        stop();
        onViewable();
      }, VIEWABLE_MS);
    } else {
      clearTimeout(timer);
      timer = undefined;
    }
  };
  const observer = new IntersectionObserver(
    ([{ intersectionRatio, intersectionRect: shown, rootBounds: screen }]) => {
      // An element taller than the screen can never be half visible: it counts once it fills half the screen.
      const screenArea = (screen?.width ?? innerWidth) * (screen?.height ?? innerHeight);
      inView = intersectionRatio >= VIEWABLE_RATIO || shown.width * shown.height > screenArea * VIEWABLE_RATIO;
      update();
    },
    { threshold: Array.from({ length: 11 }, (_, tenths) => tenths / 10) },
  );
  const stop = () => {
    observer.disconnect();
    document.removeEventListener('visibilitychange', update);
    clearTimeout(timer);
  };
  observer.observe(element);
  document.addEventListener('visibilitychange', update);
  return stop;
}
