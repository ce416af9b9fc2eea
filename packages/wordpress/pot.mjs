// languages/chorus.pot for translators: every string of the text domain `chorus` in the PHP
// (__(), _e(), esc_html__(), esc_html_e(), esc_attr__(), esc_attr_e(), with their "translators:"
// comments), the editor script (wp.i18n's __()) and the blocks' block.json (title, description and
// keywords, in the contexts WordPress translates them with). WordPress.org makes its own from the same
// calls; this one is for sites that translate the plugin themselves.
const CALL = /\b(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'chorus'\s*\)/g;
const TRANSLATORS = /\/\*\s*translators:\s*((?:(?!\*\/)[\s\S])*?)\s*\*\//g;

// The "translators:" comment that belongs to the call at `index`: the last one before it, with no end of
// statement and no other call between them.
function translatorsComment(text, index) {
  let found;
  for (const match of text.slice(Math.max(0, index - 400), index).matchAll(TRANSLATORS)) found = match;
  if (!found) return undefined;
  const between = text.slice(Math.max(0, index - 400) + found.index + found[0].length, index);
  return /;|\b__\(/.test(between) ? undefined : found[1].replace(/\s+/g, ' ');
}
const BLOCK_FIELDS = [
  ['title', 'block title'],
  ['description', 'block description'],
];

const quote = (text) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/**
 * The POT file's text for the given files ([{name, text}], names as the plugin folder has them).
 */
export function pot(files) {
  const entries = new Map(); // context + msgid → {context, msgid, refs, comments}
  const add = (msgid, ref, { context, comment } = {}) => {
    const key = `${context ?? ''}\u0004${msgid}`;
    const entry = entries.get(key) ?? { context, msgid, refs: [], comments: [] };
    entry.refs.push(ref);
    if (comment && !entry.comments.includes(comment)) entry.comments.push(comment);
    entries.set(key, entry);
  };
  for (const { name, text } of files) {
    if (name.endsWith('block.json')) {
      const block = JSON.parse(text);
      for (const [field, context] of BLOCK_FIELDS) if (block[field]) add(block[field], name, { context });
      for (const keyword of block.keywords ?? []) add(keyword, name, { context: 'block keyword' });
      continue;
    }
    for (const match of text.matchAll(CALL)) {
      const line = text.slice(0, match.index).split('\n').length;
      add(match[1].replace(/\\'/g, "'").replace(/\\\\/g, '\\'), `${name}:${line}`, { comment: translatorsComment(text, match.index) });
    }
  }
  const header = [
    'msgid ""',
    'msgstr ""',
    '"Project-Id-Version: Chorus\\n"',
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"X-Domain: chorus\\n"',
  ].join('\n');
  const body = [...entries.values()].map(({ context, msgid, refs, comments }) =>
    [
      ...comments.map((c) => `#. translators: ${c}`),
      `#: ${refs.join(' ')}`,
      context && `msgctxt ${quote(context)}`,
      `msgid ${quote(msgid)}`,
      'msgstr ""',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return `${[header, ...body].join('\n\n')}\n`;
}
