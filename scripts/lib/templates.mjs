// A Rollup plugin for our element sources: Lit's css`` and html`` templates reach the reader as
// written, so the build folds their white space (no byte of indentation ships, nested templates inside
// `${…}` included), and compiles css`` to unsafeCSS(`…`).
// - In CSS, comments and the spaces around punctuation go too, and leading zeros; spaces before ':' and inside calc()
//   are kept: they carry meaning.
// - In HTML, a line break next to a tag or an expression, outside a tag, is layout only and is dropped
//   (as in JSX); any other run of white space with a line break becomes one space.
// - css`` checks at run time that each `${…}` is a CSSResult or a number, with a long error message: 170 B
//   gzip in every page's Lit chunk. Our styles are literals checked by TypeScript, and unsafeCSS() of the
//   same text (a CSSResult's text is its toString()) makes the same style sheet, without that code.
export const foldTemplates = {
  name: 'fold-templates',
  transform(code, id) {
    if (!/\/packages\/[a-z-]+\/src\/.*\.ts$/.test(id) || !/\b(css|html) ?`/.test(code)) return null;
    const edits = [];
    visit(this.parse(code), (node) => {
      const tag = node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && node.tag.name;
      if (tag !== 'css' && tag !== 'html') return;
      const { quasis } = node.quasi;
      const texts = quasis.map((quasi) => code.slice(quasi.start, quasi.end));
      const folded = tag === 'css' ? foldCss(texts) : foldHtml(texts);
      quasis.forEach((quasi, i) => edits.push({ start: quasi.start, end: quasi.end, text: folded[i] }));
      if (tag === 'css') {
        edits.push({ start: node.tag.start, end: node.tag.end, text: `${UNSAFE_CSS}(` }, { start: node.end, end: node.end, text: ')' });
      }
    });
    if (!edits.length) return null;
    edits.sort((a, b) => b.start - a.start);
    for (const { start, end, text } of edits) code = code.slice(0, start) + text + code.slice(end);
    if (code.includes(`${UNSAFE_CSS}(`)) code = `import { unsafeCSS as ${UNSAFE_CSS} } from 'lit';\n${code}`;
    return { code, map: null };
  },
};

const UNSAFE_CSS = 'foldedCss';

function visit(node, callback) {
  callback(node);
  for (const value of Object.values(node)) {
    for (const child of [value].flat()) if (child && typeof child.type === 'string') visit(child, callback);
  }
}

export function foldCss(texts) {
  return texts.map((text, i) => {
    let folded = text
      .replace(/\/\*[^]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}')
      .replace(/([\s:,]|^)0\.(\d)/g, '$1.$2');
    if (i === 0) folded = folded.trimStart();
    if (i === texts.length - 1) folded = folded.trimEnd();
    return folded;
  });
}

export function foldHtml(texts) {
  let inTag = false;
  return texts.map((text) => {
    const inTagAt = (offset) => {
      const last = /[<>](?=[^<>]*$)/.exec(text.slice(0, offset));
      return last ? last[0] === '<' : inTag;
    };
    const folded = text.replace(/\s*\n\s*/g, (space, offset) => {
      const before = offset === 0 || text[offset - 1] === '>';
      const next = text[offset + space.length];
      if (inTagAt(offset)) return next === '>' ? '' : ' ';
      return before || next === undefined || next === '<' ? '' : ' ';
    });
    inTag = inTagAt(text.length);
    return folded;
  });
}
