export { CourseCtaElement, type CourseCtaEvents, type CourseCtaProperties } from './course-cta.js';
