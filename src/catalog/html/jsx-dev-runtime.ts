// The development entry of the HTML JSX runtime: vitest compiles JSX in development mode and imports this one.
import { Fragment, type Html, jsx } from './jsx-runtime.ts';

export type { JSX } from './jsx-runtime.ts';
export { Fragment };

export function jsxDEV(type: Parameters<typeof jsx>[0], props: Parameters<typeof jsx>[1]): Html {
  return jsx(type, props);
}
