// The Custom Elements Manifest of each element package (dist/custom-elements.json), made from the JSDoc on the
// element classes: `@tag`, `@slot`, `@fires {Type} name`, `@csspart`, `@cssproperty`, and each property's own
// comment; attributes come from the classes' `static properties`. scripts/lib/manifest.mjs runs it for every
// element package at build time; `npx cem analyze` with this file at the root gives one manifest of all of them.
export default {
  globs: ['packages/*/src/**/*.ts'],
  exclude: ['packages/*/src/**/*.styles.ts', 'packages/collector/**', 'packages/tracker/**', 'packages/chorus/**'],
  litelement: true,
  plugins: [publicApiOnly()],
};

// What a page can use, and each event once: the analyzer also lists private state (`#fields`, Lit's internal
// `_state` properties, even as attributes), a method's local `const` as if the module declared it, and, for every
// `dispatchEvent(new X())`, a nameless event beside the one the JSDoc names.
export function publicApiOnly() {
  const isPrivate = (member) => ['private', 'protected'].includes(member.privacy) || /^[#_]/.test(member.name);
  return {
    name: 'chorus-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const exported = new Set((module.exports ?? []).map((entry) => entry.declaration?.name));
        module.declarations = module.declarations?.filter((declaration) => exported.has(declaration.name));
      }
      for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
        if (declaration.kind !== 'class') continue;
        declaration.members = declaration.members?.filter((member) => !isPrivate(member));
        declaration.attributes = declaration.attributes?.filter((attribute) => !/^_/.test(attribute.fieldName ?? attribute.name));
        const named = new Map((declaration.events ?? []).filter((event) => event.name).map((event) => [event.name, event]));
        if (declaration.events) declaration.events = [...named.values()];
      }
    },
  };
}
