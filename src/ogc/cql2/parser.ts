import peggy from 'peggy';
import { badInput } from '../../common/errors/app-error';
import { CQL2_TEXT_GRAMMAR } from './grammar';

/**
 * A CQL2 expression in its JSON encoding (OGC 21-065r2, cql2.json): what both the text parser and
 * JSON.parse give the translator. Its shape is checked there, node by node.
 */
export type Cql2Node = unknown;

/** The languages the `filter-lang` parameter takes. */
export const FILTER_LANGS = ['cql2-text', 'cql2-json'] as const;
export type FilterLang = (typeof FILTER_LANGS)[number];

/** Longest filter accepted, in characters (a URL holds it, and Node takes 16 KiB of request line and headers). */
export const MAX_FILTER_LENGTH = 8000;

let parser: peggy.Parser | undefined;

/** The CQL2 text parser, generated from the grammar by peggy once per process (it holds no state). */
function textParser(): peggy.Parser {
  // cache: packrat parsing, linear in the length; without it nested parentheses backtrack exponentially.
  parser ??= peggy.generate(CQL2_TEXT_GRAMMAR, { allowedStartRules: ['Start'], cache: true });
  return parser;
}

/** A filter in `lang`, as CQL2 JSON; 400 saying where and what was expected when it is not well formed. */
export function parseFilter(text: string, lang: FilterLang): Cql2Node {
  if (text.length > MAX_FILTER_LENGTH) throw badInput(`filter: ${text.length} characters; at most ${MAX_FILTER_LENGTH} are accepted`);
  if (text.trim() === '') throw badInput('filter: empty; give a CQL2 expression, e.g. filter=name = \'x\'');
  if (lang === 'cql2-json') {
    try {
      return JSON.parse(text) as Cql2Node;
    } catch {
      throw badInput('filter: not JSON (filter-lang=cql2-json takes a CQL2 JSON expression)');
    }
  }
  try {
    return textParser().parse(text);
  } catch (err) {
    if (err instanceof textParser().SyntaxError) throw badInput(`filter: not CQL2 text: ${describeSyntaxError(text, err)}`);
    // The parser descends once per nesting level: hundreds of parentheses exhaust the stack.
    if (err instanceof RangeError) throw badInput('filter: nested too deeply (parentheses or functions hundreds of levels deep)');
    throw err;
  }
}

/** Where the text stops being CQL2, what could have come there, and what did. */
function describeSyntaxError(text: string, err: peggy.parser.SyntaxError): string {
  const at = err.location.start.offset;
  const found = at >= text.length ? 'the end of the filter' : `"${text.slice(at, at + 12)}${text.length > at + 12 ? '…' : ''}"`;
  const expected = [...new Set((err.expected ?? []).map(describeExpectation))].filter(Boolean);
  const list = expected.length > 8 ? [...expected.slice(0, 8), '…'] : expected;
  if (err.expected === null || list.length === 0) return `at character ${at + 1}: ${err.message}`;
  return `at character ${at + 1} (${found}): expected ${list.join(', ')}`;
}

function describeExpectation(e: peggy.parser.Expectation): string {
  switch (e.type) {
    case 'literal':
      return `"${e.text}"`;
    case 'other':
      return e.description;
    case 'end':
      return 'the end of the filter';
    case 'class':
      return '';
    case 'any':
      return 'any character';
    default:
      return '';
  }
}
