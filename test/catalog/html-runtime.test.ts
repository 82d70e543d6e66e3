// The catalog's HTML JSX runtime: every case is rendered by it and by React DOM's server renderer (what the
// catalog used before), and the two must agree byte for byte; plus what only this runtime promises.
import { createElement, Fragment as ReactFragment, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  Fragment,
  Html,
  type HtmlNode,
  jsx,
  serialize,
} from '../../src/catalog/html/jsx-runtime.ts';
import { usePage, withPage } from '../../src/catalog/pages/context.ts';
import type { SiteModel } from '../../src/catalog/site-model.ts';

/** A tree both renderers can build: a tag (or fragment) with props and children. */
type Tree =
  | string
  | number
  | boolean
  | null
  | undefined
  | Tree[]
  | { tag: string; props?: Record<string, unknown>; children?: Tree[] };

function ours(tree: Tree): HtmlNode {
  if (Array.isArray(tree)) return tree.map(ours);
  if (tree === null || typeof tree !== 'object') return tree;
  const children = (tree.children ?? []).map(ours);
  const props = { ...tree.props, ...(children.length > 0 ? { children } : {}) };
  return jsx(tree.tag === '' ? Fragment : tree.tag, props);
}

function react(tree: Tree, key?: number): ReactNode {
  if (Array.isArray(tree)) return tree.map((t, i) => react(t, i));
  if (tree === null || typeof tree !== 'object') return tree;
  const children = (tree.children ?? []).map((t, i) => react(t, i));
  const props = { ...tree.props, ...(key === undefined ? {} : { key }) };
  return createElement(tree.tag === '' ? ReactFragment : tree.tag, props, ...children);
}

const cases: [string, Tree][] = [
  ['text is escaped', { tag: 'p', children: [`<b>"Tom" & 'Jerry'</b>`] }],
  [
    'attribute values are escaped',
    { tag: 'a', props: { href: '/x?a=1&b="2"', title: "it's <ok>" }, children: ['x'] },
  ],
  ['className, htmlFor, tabIndex', { tag: 'label', props: { className: 'c', htmlFor: 'i', tabIndex: -1 } }],
  [
    'void elements close themselves',
    {
      tag: 'div',
      children: [
        { tag: 'br' },
        { tag: 'meta', props: { charSet: 'utf-8' } },
        {
          tag: 'input',
          props: { type: 'search', autoComplete: 'off', spellCheck: false, placeholder: 'Search…' },
        },
      ],
    },
  ],
  [
    'inputs: checked and value come last',
    {
      tag: 'form',
      children: [
        { tag: 'input', props: { value: 'x', checked: true, type: 'radio', readOnly: true, name: 'n' } },
        { tag: 'input', props: { value: 3, type: 'number', readOnly: true } },
      ],
    },
  ],
  [
    'boolean attributes',
    { tag: 'details', props: { open: true, hidden: false }, children: [{ tag: 'summary', children: ['s'] }] },
  ],
  [
    'download alone and with a name',
    {
      tag: 'div',
      children: [
        { tag: 'a', props: { href: 'a.json', download: true } },
        { tag: 'a', props: { href: 'b', download: 'b.yaml' } },
      ],
    },
  ],
  [
    'aria and data booleans are written as strings',
    {
      tag: 'button',
      props: { 'aria-pressed': false, 'aria-expanded': true, 'data-x': true, type: 'button' },
    },
  ],
  [
    'numbers, null, undefined and booleans as children',
    { tag: 'span', children: [0, 1.5, null, undefined, true, false, 'a'] },
  ],
  ['adjacent text needs no separators', { tag: 'p', children: ['a', 'b', 3, 'c'] }],
  [
    'nested arrays and fragments',
    {
      tag: 'ul',
      children: [
        [{ tag: 'li', children: ['1'] }, [{ tag: 'li', children: ['2'] }]],
        { tag: '', children: [{ tag: 'li', children: ['3'] }] },
      ],
    },
  ],
  [
    'style objects',
    {
      tag: 'span',
      props: {
        style: {
          flexGrow: 15,
          marginTop: 4,
          width: '10%',
          opacity: 0.5,
          zIndex: 2,
          lineHeight: 1.2,
          padding: 0,
        },
      },
    },
  ],
  [
    'SVG attributes',
    {
      tag: 'svg',
      props: { viewBox: '0 0 10 10', width: 10 },
      children: [
        {
          tag: 'defs',
          children: [
            {
              tag: 'marker',
              props: { id: 'm', markerWidth: 8, markerHeight: 8, refX: 7, refY: 4, orient: 'auto' },
              children: [{ tag: 'path', props: { d: 'M0,0 L8,4 z', fill: 'currentColor' } }],
            },
          ],
        },
        {
          tag: 'path',
          props: {
            d: 'M1 1',
            strokeWidth: '2',
            markerEnd: 'url(#m)',
            strokeLinecap: 'round',
            textAnchor: 'middle',
          },
        },
        { tag: 'circle', props: { cx: 1, cy: 2, r: 3 } },
      ],
    },
  ],
  [
    'dangerouslySetInnerHTML inserts markup as it is',
    {
      tag: 'script',
      props: { type: 'application/json', dangerouslySetInnerHTML: { __html: '{"a":"<b>"}' } },
    },
  ],
  [
    'functions and symbols are not attributes',
    { tag: 'div', props: { id: 'x', onClick: () => {}, role: 'region', 'aria-label': 'R' } },
  ],
];

const Card = ({ title, children }: { title: string; children?: HtmlNode }): Html =>
  jsx('section', { children: [jsx('h2', { children: title }), children] });

const Base = (): Html => jsx('a', { href: `${usePage().base}index.html` });

describe('HTML JSX runtime', () => {
  for (const [name, tree] of cases)
    it(`renders like React DOM: ${name}`, () => {
      expect(serialize(ours(tree))).toBe(
        renderToStaticMarkup(react(tree) as Parameters<typeof renderToStaticMarkup>[0]),
      );
    });

  it('calls components at once with their props and children', () => {
    const html = jsx(Card, { title: 'A & B', children: [jsx('p', { children: 'body' })] });
    expect(html).toBeInstanceOf(Html);
    expect(html.html).toBe('<section><h2>A &amp; B</h2><p>body</p></section>');
  });

  it("refuses React's form-control props instead of rendering them wrong", () => {
    expect(() => jsx('input', { defaultValue: 'x' })).toThrow(/form-control props are not supported/);
    expect(() => jsx('textarea', { value: 'x' })).toThrow(/<textarea>/);
  });

  it('escapes strings a component returns, and passes markup it returns through', () => {
    expect(jsx(() => '<i>', {}).html).toBe('&lt;i&gt;');
    expect(jsx(() => new Html('<i>ok</i>'), {}).html).toBe('<i>ok</i>');
    expect(escapeHtml('plain')).toBe('plain');
  });

  it('gives components the page being rendered, and only during that render', () => {
    const env = { site: {} as SiteModel, base: '../' };
    expect(withPage(env, () => jsx(Base, {}).html)).toBe('<a href="../index.html"></a>');
    expect(() => jsx(Base, {})).toThrow(/outside withPage/);
    // Restored after a render that throws, too.
    expect(() =>
      withPage(env, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(() => usePage()).toThrow(/outside withPage/);
  });
});
