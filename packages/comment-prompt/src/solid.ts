// `import '@chorus/comment-prompt/solid'` registers <comment-prompt> and types it in Solid's JSX: its properties (Solid sets
// a custom element's props as properties) and a handler per event, `on:chorus-engagement`.
import type { JSX as SolidJSX } from 'solid-js';
import type { EventProps } from '@chorus/core';
import type { CommentPromptElement, CommentPromptEvents, CommentPromptProperties } from './comment-prompt.js';
import './define.js';

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
      'comment-prompt': SolidJSX.HTMLAttributes<CommentPromptElement> & Partial<CommentPromptProperties> & EventProps<CommentPromptEvents, 'on:'>;
    }
  }
}
