// generate:after hook: formats the generated files with dprint (when it is installed) and the same options
// as `eventkit codegen`, so standard AsyncAPI tooling writes the same bytes. Hooks are loaded with
// require(), untranspiled: CommonJS.
const fs = require('node:fs');
const path = require('node:path');

const options = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'format-options.json'), 'utf8'));

function typescriptFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

module.exports = {
  'generate:after': (generator) => {
    let formatter;
    try {
      const { createFromBuffer } = require('@dprint/formatter');
      formatter = createFromBuffer(fs.readFileSync(require('@dprint/typescript').getPath()));
      formatter.setConfig(options.global, options.typescript);
    } catch {
      console.warn('eventkit template: dprint is not installed, so the generated code is left unformatted');
      return;
    }
    for (const file of typescriptFiles(generator.targetDir)) {
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, formatter.formatText({ filePath: file, fileText: text }));
    }
  },
};
