// `import '@chorus/comment-prompt/svelte'` registers <comment-prompt> and types it in Svelte 5's templates (SvelteHTMLElements,
// which svelteHTML.IntrinsicElements extends): its properties and a handler per event, `onchorus-engagement`.
import type { HTMLAttributes as SvelteAttributes } from 'svelte/elements';
import type { EventProps } from '@chorus/core';
import type { CommentPromptElement, CommentPromptEvents, CommentPromptProperties } from './comment-prompt.js';
import './define.js';

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'comment-prompt': SvelteAttributes<CommentPromptElement> & Partial<CommentPromptProperties> & EventProps<CommentPromptEvents>;
  }
}
