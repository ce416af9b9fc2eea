// The dashboard's one route in the address: `#post=/path` opens a post's page, so a reload and the back
// button keep the view. Slashes stay readable; everything else is percent-encoded.
export const postHref = (path: string) => `#post=${encodeURIComponent(path).replace(/%2F/g, '/')}`;

export const currentPost = () => new URLSearchParams(location.hash.slice(1)).get('post') || null;
