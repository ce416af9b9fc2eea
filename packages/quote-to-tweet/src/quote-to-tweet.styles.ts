import { css } from 'lit';

// The box lives on :host so that the loader's pre-upgrade rule (packages/chorus/src/reserve.ts) can
// give the not-yet-defined element the same box: the quote never moves when the element upgrades.
// Colours follow the page (currentColor, tints) so one theme works on light and dark pages.
export const styles = css`
  :host {
    --_accent: var(--quote-to-tweet-accent, var(--chorus-accent, #1565c0));
    --_on-accent: var(--quote-to-tweet-on-accent, var(--chorus-on-accent, #fff));
    display: block;
    margin-block: var(--quote-to-tweet-margin, 1.5em);
    padding: var(--quote-to-tweet-padding, 1em);
    border-inline-start: 0.25em solid var(--_accent);
    border-radius: var(--quote-to-tweet-radius, var(--chorus-radius, 0.5em));
    background: var(--quote-to-tweet-background, color-mix(in srgb, var(--_accent) 8%, transparent));
    font-family: var(--quote-to-tweet-font, var(--chorus-font, inherit));
    font-size: var(--quote-to-tweet-font-size, 1.125em);
    line-height: 1.5;
    overflow-wrap: break-word;
  }
  :host([hidden]) {
    display: none;
  }
  figure,
  blockquote {
    margin: 0;
    font-style: var(--quote-to-tweet-font-style, normal);
  }
  [part~='actions'],
  form {
    display: flex;
    flex-wrap: wrap;
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
    gap: 0.4em;
    box-sizing: border-box;
    height: 2.25rem;
    padding-inline: 0.9em;
    border: 1px solid;
    border-radius: 999px;
    background: transparent;
    color: inherit;
    font: inherit;
    line-height: 1;
    text-decoration: none;
    cursor: pointer;
  }
  [part~='primary'] {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  svg {
    width: 1em;
    height: 1em;
    fill: currentColor;
  }
  input {
    border-radius: 0.375em;
    cursor: text;
  }
  [role='alert'] {
    flex-basis: 100%;
    margin: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
