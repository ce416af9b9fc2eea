// `import '@chorus/comment-prompt/react'` registers <comment-prompt> and types it in React 19's JSX: its properties, `class`,
// and a handler per event. React 19 listens for a custom element's `on<name>` prop under that exact name:
// `onchorus-engagement` hears `chorus-engagement` (`onChorusEngagement` would wait for an event never sent).
import type { DetailedHTMLProps as ReactProps, HTMLAttributes as ReactAttributes } from 'react';
import type { EventProps } from '@chorus/core';
import type { CommentPromptElement, CommentPromptEvents, CommentPromptProperties } from './comment-prompt.js';
import './define.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'comment-prompt': ReactProps<ReactAttributes<CommentPromptElement>, CommentPromptElement> & Partial<CommentPromptProperties> & EventProps<CommentPromptEvents> & { class?: string };
    }
  }
}
