// Vue's types have no `slot` attribute on HTML elements (in Vue 2 it was template syntax), yet a custom
// element's named slots need it: <h2 slot="heading"> inside <course-cta>.
declare module 'vue' {
  interface HTMLAttributes {
    slot?: string;
  }
}
export {};
