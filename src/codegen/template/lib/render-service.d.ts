// Types of render-service.js for eventkit's TypeScript code (the template itself is plain JavaScript).
import type { CodegenInput } from '../../input/types.ts';

export interface RenderedFile {
  /** Relative to the service's `generated/` folder, `/`-separated: `events.ts`, `types/orders.v1.ts`. */
  readonly path: string;
  /** Unformatted TypeScript. */
  readonly content: string;
}

export declare function renderService(input: CodegenInput): RenderedFile[];
