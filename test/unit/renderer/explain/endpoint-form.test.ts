import { describe, expect, it } from 'vitest';
import { ExplainParams } from '../../../../protocol/src/index.js';
import { defaultForm, emptyEndpoint, formFieldOf, toParams } from '../../../../renderer/src/explain/endpoint-form.js';
import type { ExplainForm } from '../../../../renderer/src/explain/endpoint-form.js';
import { formFromSelection } from '../../../../renderer/src/explain/selection-form.js';
import { probeLeavesHost } from '../../../../renderer/src/explain/is-outside.js';
import { HOST, NS1, WEB, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';

const base: ExplainForm = { src: emptyEndpoint(NS1), dst: emptyEndpoint(WEB), proto: 'icmp', port: '' };

describe('explain form', () => {
  it('starts on two different namespaces, not the host', () => {
    const f = defaultForm(labSnapshot());
    expect(f.src.ns).not.toBe(HOST);
    expect(f.dst.ns).not.toBe(f.src.ns);
  });

  it('turns into params the contract accepts', () => {
    const ok = toParams({ ...base, proto: 'tcp', port: '80' });
    expect(ok).toEqual({ ok: true, params: { src: { kind: 'ns', ns: NS1 }, dst: { kind: 'ns', ns: WEB }, proto: 'tcp', port: 80 } });
    if (ok.ok) expect(ExplainParams.safeParse(ok.params).success).toBe(true);
    const hp = toParams({ ...base, src: { kind: 'address', ip: '198.51.100.7', ns: '', port: '' }, dst: { kind: 'hostPort', ns: '', ip: '', port: '8080' }, proto: 'tcp' });
    expect(hp).toMatchObject({ ok: true, params: { src: { kind: 'address', ip: '198.51.100.7' }, dst: { kind: 'hostPort', port: 8080 }, port: 8080 } });
    if (hp.ok) expect(ExplainParams.safeParse(hp.params).success).toBe(true);
  });

  it('names the bad field in plain words', () => {
    expect(toParams({ ...base, src: emptyEndpoint('') })).toMatchObject({ ok: false, field: 'src.ns' });
    expect(toParams({ ...base, dst: { ...base.dst, ip: '10.0.0.300' } })).toMatchObject({ ok: false, field: 'dst.ip', message: '“10.0.0.300” is not an IPv4 or IPv6 address.' });
    expect(toParams({ ...base, proto: 'udp' })).toMatchObject({ ok: false, field: 'port', message: 'UDP needs a port.' });
    expect(toParams({ ...base, proto: 'tcp', port: '70000' })).toMatchObject({ ok: false, field: 'port' });
    expect(toParams({ ...base, dst: { kind: 'hostPort', ns: '', ip: '', port: 'x' } })).toMatchObject({ ok: false, field: 'dst.port' });
    expect(toParams({ ...base, src: { kind: 'hostPort', ns: '', ip: '', port: '80' } })).toMatchObject({ ok: false, field: 'src.ns' });
  });

  it('maps the helper’s invalid paths onto the form', () => {
    expect(formFieldOf('params.dst.ip')).toBe('dst.ip');
    expect(formFieldOf('params.src')).toBe('src.ns');
    expect(formFieldOf('params.port')).toBe('port');
    // Only the helper's one form (from the message root) is a form field; a message field is not.
    expect(formFieldOf('port')).toBeNull();
    expect(formFieldOf('id')).toBeNull();
    expect(formFieldOf('params.dst.kind')).toBe('dst.ns');
    expect(formFieldOf('params.proto')).toBeNull();
    expect(formFieldOf(undefined)).toBeNull();
  });

  it('from the selection: first picked is the source; an interface brings its address', () => {
    const s = labSnapshot();
    const f = formFromSelection(s, [`${NS1}/2`, WEB], base);
    expect(f?.src).toEqual({ kind: 'ns', ns: NS1, ip: '10.0.0.2', port: '' });
    expect(f?.dst).toEqual({ kind: 'ns', ns: WEB, ip: '', port: '' });
    expect(formFromSelection(s, [NS1], base)).toBeNull();
    expect(formFromSelection(s, [NS1, WEB, HOST], base)).toBeNull();
  });

  it('a probe leaves the host only for an address no namespace holds', () => {
    const s = labSnapshot();
    expect(probeLeavesHost({ kind: 'address', ip: '172.17.0.2' }, s)).toBe(false);
    expect(probeLeavesHost({ kind: 'address', ip: '198.51.100.7' }, s)).toBe(true);
    expect(probeLeavesHost({ kind: 'ns', ns: WEB }, s)).toBe(false);
  });
});
