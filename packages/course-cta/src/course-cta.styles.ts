import { css } from 'lit';

// The card is a size container: stacked on narrow cards, image beside the text on wide ones, whatever
// the page's layout. Colours follow the page (currentColor, tints) so one theme works on light and dark.
export const styles = css`
  :host {
    --_accent: var(--course-cta-accent, var(--chorus-accent, #1565c0));
    --_on-accent: var(--course-cta-on-accent, var(--chorus-on-accent, #fff));
    display: block;
    container-type: inline-size;
    margin-block: var(--course-cta-margin, 1.5em);
    font-family: var(--course-cta-font, var(--chorus-font));
    line-height: 1.5;
    overflow-wrap: break-word;
  }
  :host([hidden]) {
    display: none;
  }
  [part='base'] {
    position: relative;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1em;
    align-items: center;
    padding: var(--course-cta-padding, 1.25em);
    border: 1px solid color-mix(in srgb, var(--_accent) 40%, transparent);
    border-radius: var(--course-cta-radius, var(--chorus-radius, 0.5em));
    background: var(--course-cta-background, color-mix(in srgb, var(--_accent) 7%, transparent));
  }
  @container (min-width: 32rem) {
    .with-image {
      grid-template-columns: var(--course-cta-image-width, 10rem) minmax(0, 1fr);
    }
  }
  ::slotted([slot='image']) {
    display: block;
    max-inline-size: 100%;
    block-size: auto;
    border-radius: calc(var(--course-cta-radius, var(--chorus-radius, 0.5em)) / 2);
  }
  ::slotted([slot='heading']) {
    margin: 0 0 0.25em;
    font-size: 1.25em;
    line-height: 1.25;
  }
  :host([dismissible]) [part='body'] {
    padding-inline-end: 1.5em;
  }
  [part='button'] {
    display: inline-flex;
    align-items: center;
    box-sizing: border-box;
    min-height: 2.75rem;
    margin-block-start: 0.75em;
    vertical-align: top;
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
  [part='button']:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  [part='close'] {
    position: absolute;
    inset-block-start: 0.5em;
    inset-inline-end: 0.5em;
    display: grid;
    place-items: center;
    width: 2rem;
    height: 2rem;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  svg {
    width: 0.875rem;
    height: 0.875rem;
    stroke: currentColor;
    stroke-width: 2;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
`;
