// Before an element's code arrives, give it the box it will have once upgraded, so the text inside does
// not move and the text below does not jump when the element upgrades (test/loader.test.ts checks it).
// <quote-to-tweet>'s rule comes from its package, which shares it with the element's own styles.
// A <course-cta> keeps its image's space (width and height attributes) and room for its button; its
// side-by-side layout on wide cards only appears once upgraded. A <comment-prompt> keeps its box, so its
// question does not move; its reply (a link, or the inline form) appears below it once upgraded.
import { fallback, reserve as quoteToTweet } from '@chorus/quote-to-tweet/reserve';

export const reserve =
  quoteToTweet +
  `course-cta:not(:defined){display:block;margin-block:var(--course-cta-margin,1.5em);padding:var(--course-cta-padding,1.25em);padding-block-end:calc(var(--course-cta-padding,1.25em) + .75em + 2.75rem);border:1px solid transparent;font-family:var(--course-cta-font,var(--chorus-font));line-height:1.5;overflow-wrap:break-word}course-cta:not(:defined)>[slot=image]{display:block;max-width:100%;height:auto;margin-block-end:1em}course-cta:not(:defined)>[slot=heading]{margin:0 0 .25em;font-size:1.25em;line-height:1.25}comment-prompt:not(:defined){display:block;margin-block:var(--comment-prompt-margin,1.5em);padding:var(--comment-prompt-padding,1.25em);border-inline-start:.25em solid transparent;font-family:var(--comment-prompt-font,var(--chorus-font));line-height:1.5;overflow-wrap:break-word}`;

// dist/reserve.css, for a server-rendered page to print in its <head> (where it applies before any script has
// come): the same rules, and the room for the server's fallback links, which only such pages have.
export const headReserve = reserve + fallback;
