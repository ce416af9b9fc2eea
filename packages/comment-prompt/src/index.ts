export { CommentPromptElement, type CommentPromptEvents, type CommentPromptReplyEvent, type CommentPromptProperties } from './comment-prompt.js';
