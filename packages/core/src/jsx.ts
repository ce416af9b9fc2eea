// Types for the elements' framework typings (each element's react, preact, solid, vue and svelte entries):
// what a template may set on an element, and its events as the props a framework listens through. No
// framework is imported here, so these types are safe in any app.

/** An element's event names, each to its event type. */
export type EventMap = Record<string, Event>;

/**
 * An event handler prop per event, named `<prefix><event-name>`: React 19, Preact and Svelte 5 call the prop
 * `on<event-name>` for the event of that exact name (`onchorus-engagement`), Solid `on:<event-name>`.
 */
export type EventProps<Events extends EventMap, Prefix extends string = 'on'> = {
  [Name in keyof Events & string as `${Prefix}${Name}`]?: (event: Events[Name]) => void;
};

/** `chorus-engagement` as `ChorusEngagement`. */
type Pascal<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<Name>;

/** Vue's listener props: `@chorus-engagement` in a template is the prop `onChorusEngagement`. */
export type VueEventProps<Events extends EventMap> = {
  [Name in keyof Events & string as `on${Pascal<Name>}`]?: (event: Events[Name]) => void;
};
