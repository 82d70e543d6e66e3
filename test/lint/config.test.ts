// loadConfig: discovery walking up, defaults, and config problems located at file:line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRuleSettings, loadConfig } from '../../src/model/index.ts';
import type { Diagnostic } from '../../src/model/types.ts';

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eventkit-config-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('applies defaults without a config file', async () => {
    const dir = project({ 'README.md': '' });
    const { config, diagnostics } = await loadConfig(dir);
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      root: dir,
      asyncapi: ['asyncapi/*.{yaml,yml,json}'],
      protoRoots: ['contracts/proto'],
      output: {
        codegen: 'src/reference',
        catalog: 'dist/catalog',
        pacts: 'contracts/pacts',
        results: 'contracts/verification-results.json',
      },
      conventions: { subjects: true, cloudEvents: true },
      rules: {},
      bufLint: true,
      codegen: { importExtension: '.js' },
      contracts: { providers: ['**/*.provider.{ts,mts,js,mjs}'] },
    });
  });

  it('walks up from a sub-folder to the config file', async () => {
    const dir = project({
      'eventkit.config.json': '{ "protoRoots": ["proto"], "conventions": false }',
      'a/b/c/.keep': '',
    });
    const { config, diagnostics } = await loadConfig(path.join(dir, 'a/b/c'));
    expect(diagnostics).toEqual([]);
    expect(config.root).toBe(dir);
    expect(config.configFile).toBe(path.join(dir, 'eventkit.config.json'));
    expect(config.protoRoots).toEqual(['proto']);
    expect(config.conventions).toEqual({ subjects: false, cloudEvents: false });
  });

  it('loads eventkit.config.ts through a dynamic import', async () => {
    const dir = project({
      'eventkit.config.ts':
        'export default { asyncapi: ["specs/*.yaml"], rules: { "example-invalid": "warning" } };\n',
    });
    const { config, diagnostics } = await loadConfig(dir);
    expect(diagnostics).toEqual([]);
    expect(config.asyncapi).toEqual(['specs/*.yaml']);
    expect(config.rules).toEqual({ 'example-invalid': 'warning' });
  });

  it('locates invalid JSON at the offending line', async () => {
    const dir = project({ 'eventkit.config.json': '{\n  "asyncapi": ["a/*.yaml"],\n}\n' });
    const { diagnostics } = await loadConfig(dir);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      ruleId: 'config-invalid',
      severity: 'error',
      location: { file: 'eventkit.config.json', line: 2 },
    });
  });

  it('reports unknown keys and wrong types with their lines', async () => {
    const dir = project({
      'eventkit.config.json':
        '{\n  "asyncapi": ["a/*.yaml"],\n  "bufLnt": true,\n  "output": { "catalogue": "x" },\n  "bufLint": "yes"\n}\n',
    });
    const { diagnostics, config } = await loadConfig(dir);
    expect(diagnostics.map((d) => [d.message, d.location?.line])).toEqual([
      ['unknown config key "bufLnt"', 3],
      ['unknown output key "catalogue"', 4],
      ['"bufLint" must be true or false', 5],
    ]);
    expect(config.asyncapi).toEqual(['a/*.yaml']);
  });
});

describe('rule settings', () => {
  const d = (ruleId: string): Diagnostic => ({ ruleId, severity: 'error', message: ruleId });
  it('turns rules off, into warnings, and covers all buf rules with "buf"', () => {
    const out = applyRuleSettings(
      [d('example-invalid'), d('durable-unique'), d('buf/FIELD_LOWER_SNAKE_CASE'), d('stream-overlap')],
      {
        'example-invalid': 'off',
        'durable-unique': 'warning',
        buf: 'off',
      },
    );
    expect(out.map((x) => [x.ruleId, x.severity])).toEqual([
      ['durable-unique', 'warning'],
      ['stream-overlap', 'error'],
    ]);
  });
});
