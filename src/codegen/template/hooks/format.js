// generate:after hook: formats the generated files with biome (when it is installed), so standard
// AsyncAPI tooling produces the same bytes as `eventkit codegen` (which formats all services at once
// and disables this hook). Hooks are loaded with require(), untranspiled: CommonJS.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const config = path.join(__dirname, '..', 'biome-format.json');

function biomeBin() {
  try {
    return path.join(path.dirname(require.resolve('@biomejs/biome/package.json')), 'bin', 'biome');
  } catch {
    return undefined;
  }
}

module.exports = {
  'generate:after': (generator) => {
    const bin = biomeBin();
    if (!bin) {
      console.warn(
        'eventkit template: @biomejs/biome is not installed, so the generated code is left unformatted',
      );
      return;
    }
    execFileSync(process.execPath, [bin, 'format', '--write', '--config-path', config, generator.targetDir], {
      stdio: 'pipe',
    });
  },
};
