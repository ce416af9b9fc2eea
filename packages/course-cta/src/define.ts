import { CourseCtaElement } from './course-cta.js';

CourseCtaElement.define();

declare global {
  interface HTMLElementTagNameMap {
    'course-cta': CourseCtaElement;
  }
}
