import './theme.css';
import type { ThemeChoice } from '../../../protocol/src/index.js';

const KEY = 'netloom.theme';
const DARK = /prefers-color-scheme:\s*dark/;
/** Remembered per rule: its media text as written, so "System" can put it back. */
const original = new WeakMap<CSSMediaRule, string>();

export function loadThemeChoice(storage: Storage): ThemeChoice {
  try {
    const v = storage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function saveThemeChoice(storage: Storage, choice: ThemeChoice): void {
  try {
    if (choice === 'system') storage.removeItem(KEY);
    else storage.setItem(KEY, choice);
  } catch {
    // Storage off: the choice lasts until the page closes.
  }
}

/**
 * Applies a theme choice to every stylesheet of the page. The stylesheets keep their dark
 * colours in `@media (prefers-color-scheme: dark)` blocks, so the system's choice needs
 * nothing; a manual choice switches those blocks on ("all") or off ("not all") — which no
 * media query can do on its own in a browser tab (in Electron, nativeTheme.themeSource also
 * changes what prefers-color-scheme says). Runs again when a stylesheet arrives later.
 */
export function applyTheme(doc: Document, choice: ThemeChoice): void {
  doc.documentElement.dataset['theme'] = choice;
  doc.documentElement.style.colorScheme = choice === 'system' ? '' : choice;
  for (const sheet of Array.from(doc.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue; // a stylesheet of another origin (there are none; CSP allows only ours)
    }
    for (const rule of Array.from(rules)) {
      if (!(rule instanceof CSSMediaRule)) continue;
      const text = original.get(rule) ?? rule.media.mediaText;
      if (!DARK.test(text)) continue;
      original.set(rule, text);
      const next = choice === 'system' ? text : choice === 'dark' ? 'all' : 'not all';
      if (rule.media.mediaText !== next) rule.media.mediaText = next;
    }
  }
}

/** Keeps the choice applied to stylesheets added later (lazy chunks). Returns a function that stops. */
export function keepThemeApplied(doc: Document, current: () => ThemeChoice): () => void {
  const observer = new MutationObserver(() => applyTheme(doc, current()));
  observer.observe(doc.head, { childList: true });
  return () => observer.disconnect();
}
