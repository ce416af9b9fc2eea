// `import '@chorus/course-cta/preact'` registers <course-cta> and types it in Preact's JSX: its properties and a
// handler per event, `onchorus-engagement` (Preact listens for the event named after `on`).
import type { HTMLAttributes as PreactAttributes } from 'preact';
import type { EventProps } from '@chorus/core';
import type { CourseCtaElement, CourseCtaEvents, CourseCtaProperties } from './course-cta.js';
import './define.js';

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'course-cta': PreactAttributes<CourseCtaElement> & Partial<CourseCtaProperties> & EventProps<CourseCtaEvents>;
    }
  }
}
