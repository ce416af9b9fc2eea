// The box of a <quote-to-tweet>, in declarations its :host rule and the page's pre-upgrade rule share, so
// the quote never moves and the text below never jumps when the element upgrades. Plain text, without
// Lit, so the loader can use it before the element's code has come. It ends with the border's width and
// style: each rule adds the border's colour.
export const box =
  'display:block;' +
  'margin-block:var(--quote-to-tweet-margin,1.5em);' +
  'padding:var(--quote-to-tweet-padding,1em);' +
  'font-family:var(--quote-to-tweet-font,var(--chorus-font));' +
  'font-size:var(--quote-to-tweet-font-size,1.125em);' +
  'font-style:var(--quote-to-tweet-font-style,normal);' +
  'line-height:1.5;' +
  'overflow-wrap:break-word;' +
  'border-inline-start:.25em solid';

/**
 * A rule for the page (not the shadow root) that gives a not-yet-upgraded `<quote-to-tweet>` the box it
 * will have, with room for its row of buttons (.75rem above buttons 2.25rem high).
 */
export const reserve = `quote-to-tweet:not(:defined){${box} transparent;padding-block-end:calc(var(--quote-to-tweet-padding,1em) + 3rem)}`;

/**
 * With `reserve`, for a page whose server renders a fallback link (`slot="fallback"`, put last): the link is
 * drawn in the buttons' room from a block of no height, so the box is as high with it as without it (however
 * the link wraps) and as high as once upgraded, when the link is no longer shown. Only servers render one, and
 * they print the rules in <head> (chorus's dist/reserve.css), so chorus.js leaves this rule out (-20 B).
 */
export const fallback = 'quote-to-tweet>[slot=fallback]{display:block;height:0;line-height:3rem}';
