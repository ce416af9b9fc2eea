// Before an element's code arrives, give it the box it will have once upgraded, so the quote does not
// move and the text below does not jump when the element upgrades. Each element package has its rule
// (test/loader.test.ts checks that it holds).
export { reserve } from '@chorus/quote-to-tweet/reserve';
