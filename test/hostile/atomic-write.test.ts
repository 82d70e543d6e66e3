// Outputs are written atomically (issue #13): a write either replaces the whole file or leaves the old one,
// and never leaves a temp file behind.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceFileAtomically, writeFileAtomically } from '../../src/atomic-write.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'eventkit-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomically', () => {
  it('replaces the file and creates missing folders, leaving no temp file', async () => {
    const file = path.join(dir, 'a/b/results.json');
    await writeFileAtomically(file, 'one\n');
    await writeFileAtomically(file, 'two\n');
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    expect(readdirSync(path.dirname(file))).toEqual(['results.json']);
  });

  it('a failed write leaves the target as it was and no temp file', async () => {
    // The target is a folder: the rename fails after the temp file was written.
    const target = path.join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep.txt'), 'kept');
    await expect(writeFileAtomically(target, 'new')).rejects.toThrow();
    expect(readFileSync(path.join(target, 'keep.txt'), 'utf8')).toBe('kept');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('replaceFileAtomically', () => {
  it('leaves an unchanged file alone (same inode and modification time)', async () => {
    const file = path.join(dir, 'pact.json');
    await replaceFileAtomically(file, '{}\n');
    const before = statSync(file);
    await replaceFileAtomically(file, '{}\n');
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    await replaceFileAtomically(file, '{"a":1}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
  });
});
