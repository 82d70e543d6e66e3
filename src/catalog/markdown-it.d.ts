// The part of markdown-it 12's API the catalog uses (the package ships no types; @types is not installed).
declare module 'markdown-it' {
  interface Token {
    type: string;
    tag: string;
    content: string;
    level: number;
    children: Token[] | null;
  }
  type RenderRule = (tokens: Token[], index: number, options: unknown, env: unknown, self: unknown) => string;
  interface Options {
    html?: boolean;
    linkify?: boolean;
    typographer?: boolean;
    breaks?: boolean;
  }
  class MarkdownIt {
    constructor(options?: Options);
    validateLink: (url: string) => boolean;
    options: Options;
    renderer: {
      rules: Record<string, RenderRule | undefined>;
      render(tokens: Token[], options: Options, env: unknown): string;
    };
    utils: { escapeHtml(text: string): string };
    parse(source: string, env: unknown): Token[];
    render(source: string, env?: unknown): string;
    disable(rules: string | string[]): this;
  }
  export default MarkdownIt;
}
