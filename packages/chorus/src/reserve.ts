// Before an element's code arrives, give it the box it will have once upgraded, so the quote does not
// move and the text below does not jump when the element upgrades. Each rule mirrors the :host rules
// in the element's styles, plus room for its row of buttons (test/loader.test.ts holds them equal).
export const reserve = `quote-to-tweet:not(:defined){display:block;margin-block:var(--quote-to-tweet-margin,1.5em);padding:var(--quote-to-tweet-padding,1em);padding-block-end:calc(var(--quote-to-tweet-padding,1em) + 3rem);border-inline-start:.25em solid transparent;font-family:var(--quote-to-tweet-font,var(--chorus-font,inherit));font-size:var(--quote-to-tweet-font-size,1.125em);font-style:var(--quote-to-tweet-font-style,normal);line-height:1.5;overflow-wrap:break-word}`;
