import { CommentPromptElement } from './comment-prompt.js';

CommentPromptElement.define();

declare global {
  interface HTMLElementTagNameMap {
    'comment-prompt': CommentPromptElement;
  }
}
