// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { browserSocketUrl } from '../../../../renderer/src/api/netloom-api.js';

describe('browser mode token', () => {
  beforeEach(() => sessionStorage.clear());

  it('takes the token from the URL, keeps it for reloads and removes it from the address bar', () => {
    history.replaceState(null, '', '/?token=abc123&x=1#h');
    expect(browserSocketUrl(location, sessionStorage, history)).toBe(`ws://${location.host}/ws?token=abc123`);
    expect(location.search).toBe('?x=1');
    expect(location.hash).toBe('#h');
    history.replaceState(null, '', '/');
    expect(browserSocketUrl(location, sessionStorage, history)).toBe(`ws://${location.host}/ws?token=abc123`);
  });

  it('has no address without a token', () => {
    history.replaceState(null, '', '/');
    expect(browserSocketUrl(location, sessionStorage, history)).toBeNull();
  });
});
