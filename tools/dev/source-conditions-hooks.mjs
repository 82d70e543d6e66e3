// Module resolve hook (checkout only): resolves eventkit's own `exports` / `imports` (`eventkit/runtime`,
// `#html/jsx-runtime`) with the `eventkit-source` condition, i.e. to the TypeScript sources instead of dist/.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('eventkit-source')
    ? context.conditions
    : [...context.conditions, 'eventkit-source'];
  return nextResolve(specifier, { ...context, conditions });
}
