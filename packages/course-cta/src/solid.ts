// `import '@chorus/course-cta/solid'` registers <course-cta> and types it in Solid's JSX: its properties (Solid sets
// a custom element's props as properties) and a handler per event, `on:chorus-engagement`.
import type { JSX as SolidJSX } from 'solid-js';
import type { EventProps } from '@chorus/core';
import type { CourseCtaElement, CourseCtaEvents, CourseCtaProperties } from './course-cta.js';
import './define.js';

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
      'course-cta': SolidJSX.HTMLAttributes<CourseCtaElement> & Partial<CourseCtaProperties> & EventProps<CourseCtaEvents, 'on:'>;
    }
  }
}
