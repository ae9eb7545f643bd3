const KEY = 'netloom.token';

/**
 * The access token of `netloom serve`: taken from `?token=` on first load, kept in
 * sessionStorage so a reload still works, and removed from the visible URL so it does
 * not end up in screenshots or the history.
 */
export function browserToken(loc: Location, storage: Storage, history: History): string | null {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(KEY);
}
