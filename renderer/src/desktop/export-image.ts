import { getNodesBounds, getViewportForBounds } from '@xyflow/react';
import type { Node } from '@xyflow/react';

/** Largest side of an exported image, in pixels: big labs stay readable without a giant file. */
const MAX_SIDE = 4096;
const PADDING = 0.04;

/**
 * The whole graph (not only what is on screen) as PNG bytes or SVG text, the way React Flow's
 * "download image" example does it: html-to-image renders the viewport element with a
 * transform that fits every node. html-to-image is loaded on first use, so it costs the page
 * nothing until someone exports.
 */
export async function exportGraphImage(kind: 'png' | 'svg', nodes: Node[], doc: Document = document): Promise<string | Uint8Array> {
  const viewport = doc.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewport || nodes.length === 0) throw new Error('there is no graph to export yet');
  const bounds = getNodesBounds(nodes);
  const scale = Math.min(1, MAX_SIDE / Math.max(bounds.width, bounds.height));
  const width = Math.max(1, Math.ceil(bounds.width * scale * (1 + 2 * PADDING)));
  const height = Math.max(1, Math.ceil(bounds.height * scale * (1 + 2 * PADDING)));
  const vp = getViewportForBounds(bounds, width, height, 0.01, 2, PADDING);
  const background = getComputedStyle(doc.querySelector('.react-flow') ?? doc.body).getPropertyValue('--canvas').trim() || getComputedStyle(doc.body).backgroundColor;
  const options = {
    backgroundColor: background,
    width,
    height,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` },
    // Minimap, controls and attribution live outside the viewport; handles are drag points.
    filter: (node: unknown) => !(node instanceof Element && node.classList.contains('react-flow__handle')),
  };
  const { toPng, toSvg } = await import('html-to-image');
  if (kind === 'svg') return svgText(await toSvg(viewport, options));
  return dataUrlBytes(await toPng(viewport, options));
}

/** html-to-image gives data: URLs; the file wants the bytes (PNG) or the text (SVG). */
export function dataUrlBytes(url: string): Uint8Array {
  const comma = url.indexOf(',');
  const bin = atob(url.slice(comma + 1));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function svgText(url: string): string {
  const comma = url.indexOf(',');
  const head = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return head.endsWith(';base64') ? new TextDecoder().decode(dataUrlBytes(url)) : decodeURIComponent(body);
}
