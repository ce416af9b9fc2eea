import { css } from 'lit';

// Colours follow the page (currentColor, tints) so one theme works on light and dark pages; the
// layout uses logical properties, so right-to-left pages mirror it.
export const styles = css`
  :host {
    --_accent: var(--comment-prompt-accent, var(--chorus-accent, #1565c0));
    --_on-accent: var(--comment-prompt-on-accent, var(--chorus-on-accent, #fff));
    display: block;
    margin-block: var(--comment-prompt-margin, 1.5em);
    padding: var(--comment-prompt-padding, 1.25em);
    border-inline-start: 0.25em solid var(--_accent);
    border-radius: var(--comment-prompt-radius, var(--chorus-radius, 0.5em));
    background: var(--comment-prompt-background, color-mix(in srgb, var(--_accent) 7%, transparent));
    font-family: var(--comment-prompt-font, var(--chorus-font));
    line-height: 1.5;
    overflow-wrap: break-word;
  }
  :host([hidden]) {
    display: none;
  }
  [part='question'] {
    font-size: 1.125em;
    font-weight: 600;
  }
  ::slotted(*) {
    margin-block: 0;
  }
  form {
    display: grid;
    gap: 0.25em;
    margin-block-start: 0.75em;
  }
  [part~='label'] {
    font-size: 0.875em;
  }
  [part~='field'] {
    box-sizing: border-box;
    width: 100%;
    margin-block-end: 0.5em;
    padding: 0.5em 0.75em;
    border: 1px solid color-mix(in srgb, currentColor 45%, transparent);
    border-radius: 0.375em;
    background: transparent;
    color: inherit;
    font: inherit;
  }
  textarea {
    min-height: 6em;
    resize: vertical;
  }
  [part~='counter'] {
    margin-block: -0.5em 0.5em;
    font-size: 0.8125em;
    text-align: end;
    opacity: 0.8;
  }
  .over {
    font-weight: 700;
    opacity: 1;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.75em;
  }
  [part~='button'] {
    display: inline-flex;
    align-items: center;
    box-sizing: border-box;
    width: fit-content;
    min-height: 2.75rem;
    margin-block-start: 0.75em;
    padding-inline: 1.25em;
    border: 0;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
  }
  form [part~='button'] {
    margin-block-start: 0;
  }
  [aria-disabled='true'] {
    opacity: 0.6;
    cursor: progress;
  }
  [part~='status'],
  [part~='error'] {
    margin: 0;
  }
  [part~='error'] {
    margin-block-start: 0.5em;
    font-weight: 600;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .trap {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
`;
