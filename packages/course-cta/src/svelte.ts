// `import '@chorus/course-cta/svelte'` registers <course-cta> and types it in Svelte 5's templates (SvelteHTMLElements,
// which svelteHTML.IntrinsicElements extends): its properties and a handler per event, `onchorus-engagement`.
import type { HTMLAttributes as SvelteAttributes } from 'svelte/elements';
import type { EventProps } from '@chorus/core';
import type { CourseCtaElement, CourseCtaEvents, CourseCtaProperties } from './course-cta.js';
import './define.js';

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'course-cta': SvelteAttributes<CourseCtaElement> & Partial<CourseCtaProperties> & EventProps<CourseCtaEvents>;
  }
}
