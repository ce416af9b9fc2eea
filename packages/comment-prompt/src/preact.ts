// `import '@chorus/comment-prompt/preact'` registers <comment-prompt> and types it in Preact's JSX: its properties and a
// handler per event, `onchorus-engagement` (Preact listens for the event named after `on`).
import type { HTMLAttributes as PreactAttributes } from 'preact';
import type { EventProps } from '@chorus/core';
import type { CommentPromptElement, CommentPromptEvents, CommentPromptProperties } from './comment-prompt.js';
import './define.js';

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'comment-prompt': PreactAttributes<CommentPromptElement> & Partial<CommentPromptProperties> & EventProps<CommentPromptEvents>;
    }
  }
}
