import { css, unsafeCSS } from 'lit';
import { box } from './reserve.js';

// The box lives on :host, in declarations shared with the pre-upgrade rule (./reserve.ts): the quote
// never moves when the element upgrades.
// Colours follow the page (currentColor, tints) so one theme works on light and dark pages.
export const styles = css`
  :host {
    --_accent: var(--quote-to-tweet-accent, var(--chorus-accent, #1565c0));
    ${unsafeCSS(box)} var(--_accent);
    border-radius: var(--quote-to-tweet-radius, var(--chorus-radius, 0.5em));
    background: var(--quote-to-tweet-background, color-mix(in srgb, var(--_accent) 8%, transparent));
  }
  :host([hidden]) {
    display: none;
  }
  figure,
  blockquote {
    margin: 0;
  }
  [part~=actions],
  form {
    display: flex;
    flex-flow: wrap;
    gap: 0.5em;
    margin-block-start: 0.75rem;
    font-size: 0.8125rem;
    font-style: normal;
  }
  a,
  button,
  input {
    display: inline-flex;
    align-items: center;
    box-sizing: border-box;
    height: 2.25rem;
    padding-inline: 0.9em;
    border: 1px solid;
    border-radius: 999px;
    background: none;
    color: inherit;
    font: inherit;
    line-height: 1;
    text-decoration: none;
    cursor: pointer;
  }
  [part~=primary] {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--quote-to-tweet-on-accent, var(--chorus-on-accent, #fff));
    font-weight: 600;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  /* Below the buttons, for every reader ("Quote and link copied"); empty, it takes no room. */
  [role=status] {
    font-size: 0.8125rem;
  }
`;
