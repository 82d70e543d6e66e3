// A JSX runtime that renders straight to HTML strings, for the catalog's pages. React's server renderer
// builds a task tree, segments and chunks for every page only for us to join them into one string again;
// here `<div className="x">{text}</div>` becomes the string itself as soon as it is evaluated, which renders
// the catalog's pages several times faster. Text and attribute values are always escaped; only
// `dangerouslySetInnerHTML` inserts markup as it is. Attribute names and values follow React DOM's server
// output (className → class, strokeWidth → stroke-width, style objects, boolean attributes), so the pages keep
// React's typings and read like any React component. React's form-control props (defaultValue, defaultChecked,
// value on <select>/<textarea>) are not emulated: they throw, so a page never silently renders them wrong.
import type { JSX as ReactJSX } from 'react';

/** Markup that is already safe to insert: what every JSX expression evaluates to. */
export class Html {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** What a component may return or take as children. Strings are text (escaped); arrays are concatenated. */
export type HtmlNode = Html | string | number | bigint | boolean | null | undefined | readonly HtmlNode[];

/** A function component: props in, markup out. Evaluated at once, where the JSX is written. */
export type Component<P> = (props: P) => HtmlNode;

export const Fragment = Symbol.for('eventkit.html.fragment');

type Props = Record<string, unknown> & { children?: HtmlNode };
type ElementType = string | typeof Fragment | Component<never>;

export function jsx(type: ElementType, props: Props, _key?: unknown): Html {
  if (typeof type === 'function') return new Html(serialize((type as Component<Props>)(props)));
  if (type === Fragment) return new Html(serialize(props.children));
  return new Html(element(type, props));
}
export { jsx as jsxs };

/** Children to markup: text escaped, `Html` as it is, nothing for null, undefined and booleans. */
export function serialize(node: HtmlNode): string {
  if (node instanceof Html) return node.html;
  if (typeof node === 'string') return escapeHtml(node);
  if (typeof node === 'number' || typeof node === 'bigint') return String(node);
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  let out = '';
  for (const child of node) out += serialize(child);
  return out;
}

const ESCAPED = /["&'<>]/;
const ESCAPED_ALL = /["&'<>]/g;
const ENTITIES: Record<string, string> = {
  '"': '&quot;',
  '&': '&amp;',
  "'": '&#x27;',
  '<': '&lt;',
  '>': '&gt;',
};

/** Escapes text and attribute values the way React DOM does (all five characters, everywhere). */
export function escapeHtml(text: string): string {
  return ESCAPED.test(text) ? text.replace(ESCAPED_ALL, (c) => ENTITIES[c] as string) : text;
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

function element(tag: string, props: Props): string {
  if (
    'defaultValue' in props ||
    'defaultChecked' in props ||
    ((tag === 'select' || tag === 'textarea') && 'value' in props)
  )
    throw new Error(
      `<${tag}>: React's form-control props are not supported by the catalog's HTML runtime; write the attribute (value, checked, selected) or the children directly`,
    );
  let open = `<${tag}`;
  let inner: string | undefined;
  // React DOM writes an input's checked and value after its other attributes.
  const input = tag === 'input';
  for (const name in props) {
    if (name === 'children' || name === 'key' || name === 'ref') continue;
    if (input && (name === 'checked' || name === 'value')) continue;
    const value = props[name];
    if (name === 'dangerouslySetInnerHTML') {
      inner = (value as { __html?: string } | null)?.__html ?? undefined;
      continue;
    }
    open += attribute(name, value);
  }
  if (input) open += attribute('checked', props.checked) + attribute('value', props.value);
  if (VOID.has(tag)) return `${open}/>`;
  return `${open}>${inner ?? serialize(props.children)}</${tag}>`;
}

function attribute(name: string, value: unknown): string {
  if (value === null || value === undefined || typeof value === 'function' || typeof value === 'symbol')
    return '';
  if (name === 'style') {
    const css = typeof value === 'object' ? styleText(value as Record<string, unknown>) : String(value);
    return css === '' ? '' : ` style="${escapeHtml(css)}"`;
  }
  const boolean = BOOLEAN.get(name);
  if (boolean !== undefined) return value ? ` ${boolean}=""` : '';
  const attr = ALIASES.get(name) ?? name;
  if (typeof value === 'boolean' && OVERLOADED_BOOLEAN.has(name)) return value ? ` ${attr}=""` : '';
  if (typeof value === 'boolean') {
    // React writes booleans only where the attribute takes "true"/"false"; elsewhere it drops them.
    const stringy = BOOLEANISH.has(name) || name.startsWith('aria-') || name.startsWith('data-');
    return stringy ? ` ${attr}="${value}"` : '';
  }
  return ` ${attr}="${escapeHtml(String(value))}"`;
}

/** `{ flexGrow: 2, marginTop: 4 }` → `flex-grow:2;margin-top:4px`, as React DOM serialises style objects. */
function styleText(style: Record<string, unknown>): string {
  let css = '';
  for (const key in style) {
    const value = style[key];
    if (value === null || value === undefined || typeof value === 'boolean' || value === '') continue;
    const name = key.startsWith('--') ? key : hyphenate(key);
    const text =
      typeof value === 'number' && value !== 0 && !UNITLESS.has(key) && !key.startsWith('--')
        ? `${value}px`
        : String(value).trim();
    css += `${css === '' ? '' : ';'}${name}:${text}`;
  }
  return css;
}

function hyphenate(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^ms-/, '-ms-');
}

/** React prop names whose HTML attribute is spelled differently. */
const ALIASES = new Map<string, string>([
  ['className', 'class'],
  ['htmlFor', 'for'],
  ['httpEquiv', 'http-equiv'],
  ['acceptCharset', 'accept-charset'],
  ['tabIndex', 'tabindex'],
  ['crossOrigin', 'crossorigin'],
  ['spellCheck', 'spellcheck'],
  ['contentEditable', 'contenteditable'],
  ['rowSpan', 'rowspan'],
  ['xlinkHref', 'xlink:href'],
  ['xmlLang', 'xml:lang'],
  ['xmlSpace', 'xml:space'],
  ['xmlnsXlink', 'xmlns:xlink'],
  // SVG presentation attributes React writes hyphenated.
  ...[
    'alignment-baseline',
    'baseline-shift',
    'clip-path',
    'clip-rule',
    'color-interpolation',
    'color-interpolation-filters',
    'dominant-baseline',
    'fill-opacity',
    'fill-rule',
    'flood-color',
    'flood-opacity',
    'font-family',
    'font-size',
    'font-size-adjust',
    'font-stretch',
    'font-style',
    'font-variant',
    'font-weight',
    'image-rendering',
    'letter-spacing',
    'lighting-color',
    'marker-end',
    'marker-mid',
    'marker-start',
    'paint-order',
    'pointer-events',
    'shape-rendering',
    'stop-color',
    'stop-opacity',
    'stroke-dasharray',
    'stroke-dashoffset',
    'stroke-linecap',
    'stroke-linejoin',
    'stroke-miterlimit',
    'stroke-opacity',
    'stroke-width',
    'text-anchor',
    'text-decoration',
    'text-rendering',
    'unicode-bidi',
    'vector-effect',
    'word-spacing',
    'writing-mode',
  ].map((attr): [string, string] => [attr.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), attr]),
]);

/** Boolean attributes: present (`open=""`) when true, absent when false. Prop name → attribute name. */
const BOOLEAN = new Map<string, string>(
  [
    'allowFullScreen',
    'async',
    'autoFocus',
    'autoPlay',
    'checked',
    'controls',
    'default',
    'defer',
    'disabled',
    'formNoValidate',
    'hidden',
    'inert',
    'itemScope',
    'loop',
    'multiple',
    'muted',
    'noModule',
    'noValidate',
    'open',
    'playsInline',
    'readOnly',
    'required',
    'reversed',
    'selected',
  ].map((name) => [name, name.toLowerCase()]),
);

/** Attributes that are boolean when given `true` (`download=""`) and take a value otherwise. */
const OVERLOADED_BOOLEAN = new Set(['capture', 'download']);

/** Attributes that take the strings "true" and "false". */
const BOOLEANISH = new Set(['contentEditable', 'draggable', 'spellCheck', 'value']);

/** Style properties whose numbers have no unit. */
const UNITLESS = new Set([
  'animationIterationCount',
  'aspectRatio',
  'borderImageOutset',
  'borderImageSlice',
  'borderImageWidth',
  'boxFlex',
  'boxFlexGroup',
  'boxOrdinalGroup',
  'columnCount',
  'columns',
  'fillOpacity',
  'flex',
  'flexGrow',
  'flexNegative',
  'flexOrder',
  'flexPositive',
  'flexShrink',
  'floodOpacity',
  'fontWeight',
  'gridArea',
  'gridColumn',
  'gridColumnEnd',
  'gridColumnSpan',
  'gridColumnStart',
  'gridRow',
  'gridRowEnd',
  'gridRowSpan',
  'gridRowStart',
  'lineClamp',
  'lineHeight',
  'opacity',
  'order',
  'orphans',
  'scale',
  'stopOpacity',
  'strokeDasharray',
  'strokeDashoffset',
  'strokeMiterlimit',
  'strokeOpacity',
  'strokeWidth',
  'tabSize',
  'widows',
  'zIndex',
  'zoom',
]);

/** React's attribute typings, with children that are HTML nodes. */
type Attributes<E> = Omit<E, 'children' | 'ref' | 'dangerouslySetInnerHTML'> & {
  children?: HtmlNode;
  dangerouslySetInnerHTML?: { __html: string };
};
type IntrinsicElementMap = {
  [K in keyof ReactJSX.IntrinsicElements]: Attributes<ReactJSX.IntrinsicElements[K]>;
};

export declare namespace JSX {
  type Element = Html;
  type ElementType = keyof IntrinsicElements | Component<never>;
  interface IntrinsicElements extends IntrinsicElementMap {}
  interface ElementChildrenAttribute {
    children: unknown;
  }
  interface IntrinsicAttributes {
    key?: string | number | bigint | null;
  }
}
