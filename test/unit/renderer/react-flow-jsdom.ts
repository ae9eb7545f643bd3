/** jsdom has no ResizeObserver or DOMMatrix; React Flow needs both to mount. Call in beforeAll. */
export function stubReactFlowDom(opts: { size?: { width: number; height: number } } = {}): void {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  (globalThis as unknown as { DOMMatrixReadOnly: unknown }).DOMMatrixReadOnly = class {
    m22 = 1;
    constructor(_t?: string) {}
  };
  if (opts.size) {
    const { width, height } = opts.size;
    Object.defineProperties(HTMLElement.prototype, {
      offsetWidth: { get: () => width },
      offsetHeight: { get: () => height },
    });
  }
}
