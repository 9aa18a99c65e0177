/**
 * A URL as it may be shown: the password, in the user part or as a `password` parameter, is
 * `***`. The user part ends at the last `@` of the URL, so that an `@`, `/` or `?` left
 * unescaped in a password is hidden too; an `@` later in the URL hides more, never less.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('://');
  let shown = url;
  if (start >= 0) {
    const rest = url.slice(start + 3);
    const at = rest.lastIndexOf('@');
    const colon = rest.indexOf(':');
    if (at >= 0 && colon >= 0 && colon < at) {
      shown = `${url.slice(0, start + 3)}${rest.slice(0, colon)}:***${rest.slice(at)}`;
    }
  }
  return shown.replace(/([?&](?:ssl)?password=)[^&#]*/gi, '$1***');
}
