// The development entry of the HTML JSX runtime (tools that compile JSX in development mode import this one).
import { Fragment, type Html, jsx } from './jsx-runtime.ts';

export type { JSX } from './jsx-runtime.ts';
export { Fragment };

export function jsxDEV(type: Parameters<typeof jsx>[0], props: Parameters<typeof jsx>[1]): Html {
  return jsx(type, props);
}
