import { css } from 'lit';

// The prompt's own rules, added to the element's styles when it first opens. Otherwise the form and its
// controls look like the row of share links (quote-to-tweet.styles.ts).
export const styles = css`
  input {
    border-radius: 0.375em;
    cursor: text;
  }
  [role=alert] {
    flex-basis: 100%;
    margin: 0;
  }
`;
