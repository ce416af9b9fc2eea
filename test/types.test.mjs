// The elements' typings, as apps use them (#11): small apps type-checked strictly by tsc against the built
// packages (dist/*.d.ts, through the export maps). Each `@ts-expect-error` line must be an error, so typings
// that accept anything fail the test too. The plain app has no framework types in reach at all: the define
// modules' types must not need React (or any framework), which only their own entries augment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../scripts/lib/setup.mjs';

const STRICT = { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'] };

/** tsc's findings for `files` (name to text) in `dir` with `options`: '' when it finds nothing. */
function typeCheck(dir, files, options) {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...STRICT, ...options }, files: Object.keys(files) }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const { stdout, stderr } = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  return (stdout + stderr).trim();
}

/** A folder inside the repository's node_modules, so the app resolves packages as an installed app does. */
function inRepository(run) {
  const base = join(root, 'node_modules/.cache');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'chorus-types-'));
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ELEMENTS = ['quote-to-tweet', 'comment-prompt', 'course-cta'];
const imports = (entry) => ELEMENTS.map((name) => `import '@chorus/${name}/${entry}';\n`).join('');

test('a plain TypeScript app, with no framework types anywhere, types the elements and their events', () => {
  // Outside the repository: a node_modules holding Chorus and Lit only, so no @types/react, Vue or Svelte. Our
  // packages are copied, not linked: tsc resolves from a link's real path, inside the repository.
  const dir = mkdtempSync(join(tmpdir(), 'chorus-types-plain-'));
  try {
    mkdirSync(join(dir, 'node_modules/@lit'), { recursive: true });
    for (const name of ['core', ...ELEMENTS]) {
      for (const part of ['package.json', 'dist']) cpSync(join(root, 'packages', name, part), join(dir, 'node_modules/@chorus', name, part), { recursive: true });
    }
    for (const name of ['lit', 'lit-html', 'lit-element', '@lit/reactive-element']) symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
    const app = `${imports('define')}
import { EngagementEvent } from '@chorus/core';
import { CommentPromptElement, type CommentPromptReplyEvent } from '@chorus/comment-prompt';

const quote = document.createElement('quote-to-tweet');
quote.networks = 'x bluesky';
quote.nofollow = true;
// @ts-expect-error nofollow is a boolean
quote.nofollow = 'yes';
const cta: HTMLElementTagNameMap['course-cta'] = document.createElement('course-cta');
// @ts-expect-error dismissDays is a number
cta.dismissDays = 'seven';
const prompt = document.querySelector('comment-prompt');
prompt?.addEventListener('comment-prompt-sent', (event) => event.detail.text.toUpperCase());
prompt?.addEventListener('comment-prompt-failed', (event: CommentPromptReplyEvent) => event.detail.name);
// @ts-expect-error the detail has no such field
prompt?.addEventListener('comment-prompt-sent', (event) => event.detail.email);
document.addEventListener('chorus-engagement', (event) => event.detail.widget.length);
window.addEventListener('chorus-engagement', (event: EngagementEvent) => event.detail.instance);
// Renamed, it keeps its events' names: they are the element's, not the tag's.
CommentPromptElement.define('ask-readers');
document.querySelector<CommentPromptElement>('ask-readers')?.addEventListener('comment-prompt-sent', (event) => event.detail.text);
`;
    assert.equal(typeCheck(dir, { 'app.ts': app }, { types: [] }), '');
    // The React entry, by contrast, needs React's types: which is why it is an entry of its own.
    assert.match(typeCheck(dir, { 'react-app.ts': `import '@chorus/quote-to-tweet/react';\n` }, { types: [] }), /'react'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const JSX_APP = (handler, { className = 'class', solid = false } = {}) => `${imports(solid ? 'solid' : handler.entry)}
export const App = () => (
  <main>
    <quote-to-tweet text="Readers who act." networks="x bluesky" nofollow ${className}="pull" ${handler.prop('chorus-engagement')}={(event) => event.detail.type.length}>
      Readers who act.
    </quote-to-tweet>
    <comment-prompt maxLength={500} inline ${handler.prop('comment-prompt-sent')}={(event) => event.detail.text.toUpperCase()}>Your view?</comment-prompt>
    <course-cta href="https://courses.example/" campaign="launch" dismissible dismissDays={7} ${handler.prop('chorus-engagement')}={(event) => event.detail.campaign} />
    {/* @ts-expect-error nofollow is a boolean */}
    <quote-to-tweet nofollow="yes" />
    {/* @ts-expect-error maxLength is a number */}
    <comment-prompt maxLength="long" />
    {/* @ts-expect-error the engagement's detail has no such field */}
    <quote-to-tweet ${handler.prop('chorus-engagement')}={(event) => event.detail.reader} />
  </main>
);
`;

const on = (prefix) => ({ prop: (name) => `${prefix}${name}` });

// Each framework's app is a file of one program, checked in one run of tsc (each typing entry augments its own
// framework's namespace): React 19 (this program's JSX), Preact and Solid (their files name their JSX source).
const FRAMEWORK_APPS = {
  'react.tsx': JSX_APP({ entry: 'react', ...on('on') }),
  'preact.tsx': `/** @jsxImportSource preact */\n${JSX_APP({ entry: 'preact', ...on('on') })}`,
  'solid.tsx': `/** @jsxImportSource solid-js */\n${JSX_APP({ entry: 'solid', ...on('on:') }, { solid: true })}`,
  'vue.ts': `${imports('vue')}
import type { GlobalComponents } from 'vue';
type Props<Tag extends keyof GlobalComponents> = InstanceType<GlobalComponents[Tag]>['$props'];
export const quote: Props<'quote-to-tweet'> = { text: 'Readers who act.', nofollow: true, onChorusEngagement: (event) => event.detail.type };
export const prompt: Props<'comment-prompt'> = { maxLength: 500, onCommentPromptSent: (event) => event.detail.text.toUpperCase() };
export const cta: Props<'course-cta'> = { href: 'https://courses.example/', dismissDays: 7 };
// @ts-expect-error nofollow is a boolean
export const wrong: Props<'quote-to-tweet'> = { nofollow: 'yes' };
// @ts-expect-error the engagement's detail has no such field
export const unknown: Props<'quote-to-tweet'> = { onChorusEngagement: (event) => event.detail.reader };
`,
  'svelte.ts': `/// <reference path="../../svelte/svelte-html.d.ts" />
${imports('svelte')}
import type { SvelteHTMLElements } from 'svelte/elements';
export const quote: SvelteHTMLElements['quote-to-tweet'] = { text: 'Readers who act.', nofollow: true, 'onchorus-engagement': (event) => event.detail.type };
export const prompt: svelteHTML.IntrinsicElements['comment-prompt'] = { maxLength: 500, 'oncomment-prompt-sent': (event) => event.detail.text };
export const cta: svelteHTML.IntrinsicElements['course-cta'] = { href: 'https://courses.example/', dismissible: true };
// @ts-expect-error nofollow is a boolean
export const wrong: SvelteHTMLElements['quote-to-tweet'] = { nofollow: 'yes' };
`,
};

test('React 19, Preact, Solid (JSX), Vue (GlobalComponents) and Svelte 5 (SvelteHTMLElements, svelteHTML) type every element, its properties and its events', () => {
  assert.equal(inRepository((dir) => typeCheck(dir, FRAMEWORK_APPS, { jsx: 'react-jsx', jsxImportSource: 'react' })), '');
});
