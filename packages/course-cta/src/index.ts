export { CourseCtaElement } from './course-cta.js';
