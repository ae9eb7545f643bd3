// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { applyTheme, loadThemeChoice, saveThemeChoice } from '../../../../renderer/src/app/theme.js';

afterEach(() => document.head.replaceChildren());

function sheetWithDark(): CSSMediaRule {
  const style = document.createElement('style');
  style.textContent = ':root { --bg: white; } @media (prefers-color-scheme: dark) { :root { --bg: black; } }';
  document.head.append(style);
  const rule = Array.from(style.sheet!.cssRules).find((r) => r instanceof CSSMediaRule);
  return rule as CSSMediaRule;
}

describe('theme', () => {
  it('a manual choice switches the dark blocks on or off; System puts them back', () => {
    const rule = sheetWithDark();
    applyTheme(document, 'dark');
    expect(rule.media.mediaText).toBe('all');
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(document.documentElement.style.colorScheme).toBe('dark');
    applyTheme(document, 'light');
    expect(rule.media.mediaText).toBe('not all');
    applyTheme(document, 'system');
    expect(rule.media.mediaText).toBe('(prefers-color-scheme: dark)');
    expect(document.documentElement.style.colorScheme).toBe('');
  });

  it('remembers the choice; System is the default and is not stored', () => {
    localStorage.clear();
    expect(loadThemeChoice(localStorage)).toBe('system');
    saveThemeChoice(localStorage, 'light');
    expect(loadThemeChoice(localStorage)).toBe('light');
    saveThemeChoice(localStorage, 'system');
    expect(localStorage.getItem('netloom.theme')).toBeNull();
    localStorage.setItem('netloom.theme', 'neon');
    expect(loadThemeChoice(localStorage)).toBe('system');
  });
});
