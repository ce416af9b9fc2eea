// `import '@chorus/comment-prompt/vue'` registers <comment-prompt> and types it in Vue's templates (GlobalComponents, for
// vue-tsc with strictTemplates): its properties and a listener per event, `@chorus-engagement`. Vue's compiler
// must know it is a custom element: `compilerOptions.isCustomElement: (tag) => tag.includes('-')`.
import type { DefineComponent } from 'vue';
import type { VueEventProps } from '@chorus/core';
import type { CommentPromptEvents, CommentPromptProperties } from './comment-prompt.js';
import './define.js';

declare module 'vue' {
  interface GlobalComponents {
    'comment-prompt': DefineComponent<Partial<CommentPromptProperties> & VueEventProps<CommentPromptEvents>>;
  }
}
