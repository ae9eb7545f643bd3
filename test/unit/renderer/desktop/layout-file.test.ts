import { describe, expect, it } from 'vitest';
import { layoutFileText, readLayoutFile, suggestedName } from '../../../../renderer/src/desktop/layout-file.js';

const layout = { positions: { 'ns:1': { x: 10, y: 20 }, 'ns:1/2': { x: 5, y: 6 } }, sizes: { 'ns:1': { width: 300, height: 200 } } };
const ids = new Set(['ns:1', 'ns:1/2', 'ns:9']);
const text = layoutFileText('lab-host', layout, new Date('2026-11-23T12:00:00Z'));

describe('layout files', () => {
  it('round-trips a layout for the same host', () => {
    expect(JSON.parse(text)).toMatchObject({ format: 'netloom-layout', version: 1, host: 'lab-host', savedAt: '2026-11-23T12:00:00.000Z' });
    expect(readLayoutFile(text, 'lab-host', ids)).toEqual({ ok: true, layout, matched: 2 });
  });

  it('a bad file names the field, and gives nothing to apply', () => {
    const file = JSON.parse(text) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>) => readLayoutFile(JSON.stringify({ ...file, ...patch }), 'lab-host', ids);
    expect(bad({ version: 2 })).toEqual({ ok: false, message: expect.stringMatching(/^This is not a valid netloom layout: version: /) });
    expect(bad({ positions: { 'ns:1': { x: 'left', y: 0 } } })).toEqual({ ok: false, message: expect.stringMatching(/positions\.ns:1\.x: /) });
    expect(bad({ sizes: { 'ns:1': { width: -5, height: 10 } } })).toEqual({ ok: false, message: expect.stringMatching(/sizes\.ns:1\.width: /) });
    expect(bad({ format: 'other' })).toEqual({ ok: false, message: expect.stringMatching(/format: /) });
    expect(bad({ extra: true })).toEqual({ ok: false, message: expect.stringMatching(/extra|Unrecognized/) });
    expect(readLayoutFile('{not json', 'lab-host', ids)).toEqual({ ok: false, message: expect.stringMatching(/^This is not a netloom layout: it is not JSON/) });
  });

  it('refuses another host’s layout and one that places nothing', () => {
    expect(readLayoutFile(text, 'other', ids)).toEqual({ ok: false, message: expect.stringMatching(/^host: this layout is for host “lab-host”, and this is “other”/) });
    expect(readLayoutFile(text, 'lab-host', new Set(['ns:7']))).toEqual({ ok: false, message: expect.stringMatching(/^positions: none of the nodes/) });
  });

  it('suggests plain file names', () => {
    const d = new Date('2026-11-23T12:00:00Z');
    expect(suggestedName('lab-host', 'json', d)).toBe('netloom-lab-host-2026-11-23.json');
    expect(suggestedName('../we ird/$host', 'png', d)).toBe('netloom-we-ird-host-2026-11-23.png');
    expect(suggestedName('', 'sh', d)).toBe('netloom-host-2026-11-23.sh');
  });
});
