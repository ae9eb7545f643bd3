import { createContext } from 'react';

/** A route to point at in the inspector's route lists (e.g. the one that decided an explained hop). */
export interface RouteFocus {
  ns: string;
  table: string;
  dst: string;
}

export const RouteFocusContext = createContext<RouteFocus | null>(null);
