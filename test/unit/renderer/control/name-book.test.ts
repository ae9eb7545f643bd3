import { describe, expect, it } from 'vitest';
import { nameBook } from '../../../../renderer/src/control/name-book.js';
import { labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';

// Issue 15: the dialogs refuse a name that is taken now, or will be once the plan is applied.
describe('nameBook', () => {
  it('knows the host\'s names and what the plan adds, renames and deletes', () => {
    const book = nameBook(labSnapshot(), [
      { op: 'netns.create', name: 'lab1' },
      { op: 'bridge.create', name: 'br9', ns: 'lab1' },
      { op: 'veth.create', a: { name: 'v1' }, b: { name: 'eth0', ns: 'lab1' } },
      { op: 'link.set', name: 'eth0', ns: 'ns1', rename: 'uplink' },
      { op: 'link.delete', name: 'docker0' },
      { op: 'netns.delete', name: 'ns1' },
    ]);
    expect(book.namespaceTaken('lab1')).toBe('A namespace named lab1 is already in the plan.');
    expect(book.namespaceTaken('ns1')).toBeNull();
    expect(book.namespaceTaken('nope')).toBeNull();
    expect(book.interfaceTaken('lab1', 'eth0')).toBe('An interface named eth0 in namespace lab1 is already in the plan.');
    expect(book.interfaceTaken('lab1', 'lo')).toBe('An interface named lo in namespace lab1 is already in the plan.');
    expect(book.interfaceTaken('', 'eth0')).toBe('The host namespace already has an interface named eth0.');
    expect(book.interfaceTaken('', 'docker0')).toBeNull();
    expect(book.bridgesIn('lab1')).toEqual(['br9']);
    expect(book.bridgesIn('')).toEqual([]);
  });

  it('a rename frees the old name and takes the new one', () => {
    const book = nameBook(labSnapshot(), [{ op: 'link.set', name: 'eth0', ns: 'ns1', rename: 'uplink' }]);
    expect(book.interfaceTaken('ns1', 'eth0')).toBeNull();
    expect(book.interfaceTaken('ns1', 'uplink')).toBe('An interface named uplink in namespace ns1 is already in the plan.');
  });
});
