import type { ParamsOf, ResultOf } from '../../../protocol/src/index.js';

/** The four plan methods the control surface calls (helper side: DESIGN §5). */
export type ControlMethod = 'plan.preview' | 'plan.apply' | 'plan.history' | 'plan.undo';

/** The part of HelperClient the control surface needs; tests pass a fake. */
export interface ControlClient {
  call<M extends ControlMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
}

/** A failure as the panels show it: the helper's sentence, the field, the failing step. */
export interface ControlError {
  code: string;
  message: string;
  path?: string;
  /** 1-based step number of a failed apply. */
  step?: number;
}

export function controlError(e: unknown): ControlError {
  if (typeof e === 'object' && e !== null && 'message' in e) {
    const o = e as { code?: unknown; message: unknown; path?: unknown; details?: unknown };
    const d = typeof o.details === 'object' && o.details !== null ? (o.details as Record<string, unknown>) : {};
    const out: ControlError = { code: typeof o.code === 'string' ? o.code : 'internal', message: String(o.message) };
    if (typeof o.path === 'string' && o.path !== '') out.path = o.path;
    if (typeof d.step === 'number') out.step = d.step;
    return out;
  }
  return { code: 'internal', message: String(e) };
}
