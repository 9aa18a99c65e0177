/**
 * The access token of this browser tab. Kept in sessionStorage: it survives a reload but not the
 * tab, and never goes into a URL (the client sends it as `Authorization: Bearer`).
 */
const KEY = 'taskmill.token';

export function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined; // Storage switched off: a login lasts until the page is left.
  }
}

export function storeToken(token: string | undefined): void {
  try {
    if (token === undefined) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // As above: nothing to keep it in.
  }
}
