export { CommentPromptElement } from './comment-prompt.js';
