import { useCallback, useEffect, useRef, useState } from 'react';
import type { DesktopBridge, ThemeChoice } from '../../../protocol/src/index.js';
import { applyTheme, keepThemeApplied, loadThemeChoice, saveThemeChoice } from '../app/theme.js';

/**
 * The theme choice (System / Light / Dark), remembered in localStorage. In the desktop app
 * main follows it (nativeTheme.themeSource, the View ▸ Theme radio) and the menu can change it.
 */
export function useTheme(storage: Storage, desktop: DesktopBridge | undefined): [ThemeChoice, (c: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(() => loadThemeChoice(storage));
  const current = useRef(choice);
  current.current = choice;

  const choose = useCallback(
    (c: ThemeChoice, fromMenu = false) => {
      setChoice(c);
      saveThemeChoice(storage, c);
      applyTheme(document, c);
      if (!fromMenu) desktop?.setTheme(c);
    },
    [storage, desktop],
  );

  useEffect(() => {
    applyTheme(document, current.current);
    desktop?.setTheme(current.current);
    const stop = keepThemeApplied(document, () => current.current);
    const off = desktop?.onTheme((c) => choose(c, true));
    return () => {
      stop();
      off?.();
    };
  }, [desktop, choose]);

  return [choice, choose];
}
