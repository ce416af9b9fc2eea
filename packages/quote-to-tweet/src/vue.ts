// `import '@chorus/quote-to-tweet/vue'` registers <quote-to-tweet> and types it in Vue's templates (GlobalComponents, for
// vue-tsc with strictTemplates): its properties and a listener per event, `@chorus-engagement`. Vue's compiler
// must know it is a custom element: `compilerOptions.isCustomElement: (tag) => tag.includes('-')`.
import type { DefineComponent } from 'vue';
import type { VueEventProps } from '@chorus/core';
import type { QuoteToTweetEvents, QuoteToTweetProperties } from './quote-to-tweet.js';
import './define.js';

declare module 'vue' {
  interface GlobalComponents {
    'quote-to-tweet': DefineComponent<Partial<QuoteToTweetProperties> & VueEventProps<QuoteToTweetEvents>>;
  }
}
