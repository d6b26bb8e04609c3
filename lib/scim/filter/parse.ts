import { LIMITS } from '../constants';
import { invalidFilter, invalidPath } from '../errors';
import { parseAttrPath, type AttrPath } from '../schema/resolve';

/**
 * RFC 7644 §3.4.2.2 filters, parsed into a tree (never evaluated as text):
 *
 *   FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
 *   valuePath = attrPath "[" valFilter "]"
 *   attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
 *   compValue = false / null / true / number / string      ; JSON (RFC 7159)
 *
 * Precedence: grouping, then `not` over `and` over `or`. Operators, `and`/`or`/`not` and
 * attribute names are case-insensitive. Lenient where it is harmless: `not` may also precede an
 * attribute expression without parentheses, `true`/`false`/`null` in any case, and a
 * sub-attribute after the brackets (`emails[type eq "work"].value eq "x"`, the PATCH path form
 * of §3.5.2, which the filter ABNF lacks but Entra ID sends when an administrator makes such a
 * path the matching attribute): it reads as `emails[type eq "work" and value eq "x"]`, for
 * every operator, `pr` included.
 */

export const compareOps = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;
export type CompareOp = (typeof compareOps)[number];
export type CompValue = string | number | boolean | null;

export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  | { op: 'pr'; path: AttrPath }
  | { op: CompareOp; path: AttrPath; value: CompValue }
  | { op: 'valuePath'; path: AttrPath; filter: Filter };

type Token =
  | { kind: '(' | ')' | '[' | ']' | 'end'; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'word'; value: string; pos: number }
  /** `.name` right after `]`: a sub-attribute of the bracketed attribute. */
  | { kind: 'sub'; value: string; pos: number };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z$][A-Za-z0-9:._$-]*/y;
const SUB_ATTR = /\.([A-Za-z$][A-Za-z0-9_$-]*)/y;
const MAX_DEPTH = 64;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c, pos: i });
      i++;
      if (c === ']' && text[i] === '.') {
        SUB_ATTR.lastIndex = i;
        const m = SUB_ATTR.exec(text);
        if (!m) throw invalidFilter(`Expected a sub-attribute name after '].' at position ${i + 1}`);
        tokens.push({ kind: 'sub', value: m[1], pos: i });
        i += m[0].length;
      }
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw invalidFilter(`Unterminated string starting at position ${i + 1}`);
      let value: string;
      try {
        value = JSON.parse(text.slice(i, j + 1));
      } catch {
        throw invalidFilter(`Invalid string at position ${i + 1}`);
      }
      tokens.push({ kind: 'string', value, pos: i });
      i = j + 1;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) throw invalidFilter(`Invalid number at position ${i + 1}`);
      tokens.push({ kind: 'number', value: Number(m[0]), pos: i });
      i += m[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const m = WORD.exec(text);
    if (!m) throw invalidFilter(`Unexpected character '${c}' at position ${i + 1}`);
    tokens.push({ kind: 'word', value: m[0], pos: i });
    i += m[0].length;
  }
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}

const describe = (t: Token) =>
  t.kind === 'end' ? 'the end of the filter' : t.kind === 'word' || t.kind === 'string' ? `'${t.value}'` : t.kind === 'sub' ? `'.${t.value}'` : t.kind === 'number' ? `${t.value}` : `'${t.kind}'`;

class Parser {
  private index = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek() {
    return this.tokens[this.index];
  }
  private next() {
    return this.tokens[this.index++];
  }
  private isWord(word: string) {
    const t = this.peek();
    return t.kind === 'word' && t.value.toLowerCase() === word;
  }
  private expect(kind: Token['kind']) {
    const t = this.next();
    if (t.kind !== kind) throw invalidFilter(`Expected '${kind}' at position ${t.pos + 1}, found ${describe(t)}`);
    return t;
  }

  parse(valFilter: boolean): Filter {
    const filter = this.or(valFilter);
    const t = this.peek();
    if (t.kind !== 'end') throw invalidFilter(`Unexpected ${describe(t)} at position ${t.pos + 1}`);
    return filter;
  }

  private enter() {
    if (++this.depth > MAX_DEPTH) throw invalidFilter('The filter is nested too deeply');
  }

  private or(valFilter: boolean): Filter {
    let left = this.and(valFilter);
    while (this.isWord('or')) {
      this.next();
      left = { op: 'or', left, right: this.and(valFilter) };
    }
    return left;
  }

  private and(valFilter: boolean): Filter {
    let left = this.unary(valFilter);
    while (this.isWord('and')) {
      this.next();
      left = { op: 'and', left, right: this.unary(valFilter) };
    }
    return left;
  }

  private unary(valFilter: boolean): Filter {
    this.enter();
    try {
      if (this.isWord('not')) {
        this.next();
        return { op: 'not', filter: this.unary(valFilter) };
      }
      if (this.peek().kind === '(') {
        this.next();
        const inner = this.or(valFilter);
        this.expect(')');
        return inner;
      }
      return this.attrExp(valFilter);
    } finally {
      this.depth--;
    }
  }

  private attrExp(valFilter: boolean): Filter {
    const t = this.next();
    if (t.kind !== 'word') throw invalidFilter(`Expected an attribute name at position ${t.pos + 1}, found ${describe(t)}`);
    const path = parseAttrPath(t.value);
    if (!path || path.name === '') throw invalidFilter(`Invalid attribute path '${t.value}'`);
    if (this.peek().kind === '[') {
      if (valFilter) throw invalidFilter(`Filters in brackets cannot be nested (position ${this.peek().pos + 1})`);
      if (path.sub) throw invalidFilter(`A value filter applies to a multi-valued attribute, not to '${t.value}'`);
      this.next();
      const inner = this.or(true);
      this.expect(']');
      const sub = this.peek();
      if (sub.kind !== 'sub') return { op: 'valuePath', path, filter: inner };
      // Lenient (see above): `attr[f].sub op v` is `attr[(f) and sub op v]`, one element matching both.
      this.next();
      const subPath = parseAttrPath(sub.value)!;
      return { op: 'valuePath', path, filter: { op: 'and', left: inner, right: this.comparison(subPath, `${t.value}[…].${sub.value}`) } };
    }
    return this.comparison(path, t.value);
  }

  /** The operator and value after an attribute path. */
  private comparison(path: AttrPath, label: string): Filter {
    const opToken = this.next();
    if (opToken.kind !== 'word') throw invalidFilter(`Expected an operator after '${label}', found ${describe(opToken)}`);
    const op = opToken.value.toLowerCase();
    if (op === 'pr') return { op: 'pr', path };
    if (!(compareOps as readonly string[]).includes(op)) throw invalidFilter(`The operator '${opToken.value}' is not supported`);
    const v = this.next();
    let value: CompValue;
    if (v.kind === 'string' || v.kind === 'number') value = v.value;
    else if (v.kind === 'word' && ['true', 'false', 'null'].includes(v.value.toLowerCase())) value = v.value.toLowerCase() === 'null' ? null : v.value.toLowerCase() === 'true';
    else throw invalidFilter(`Expected a value (string, number, true, false or null) after '${opToken.value}', found ${describe(v)}`);
    return { op: op as CompareOp, path, value };
  }
}

/** Parses a filter (for valFilter: the expression inside brackets, over sub-attributes). */
export function parseFilter(text: string, options: { valFilter?: boolean } = {}): Filter {
  if (text.length > LIMITS.maxFilterLength) throw invalidFilter(`The filter is longer than ${LIMITS.maxFilterLength} characters`);
  if (text.trim() === '') throw invalidFilter('The filter is empty');
  return new Parser(tokenize(text)).parse(options.valFilter ?? false);
}

/** A PATCH path (RFC 7644 §3.5.2): `attrPath` or `attrPath "[" valFilter "]" ["." subAttr]`. */
export interface PatchPath {
  path: AttrPath;
  filter?: Filter;
  sub?: string;
}

export function parsePatchPath(text: string): PatchPath {
  if (text.length > LIMITS.maxFilterLength) throw invalidPath('The path is too long');
  const open = text.indexOf('[');
  if (open === -1) {
    const path = parseAttrPath(text.trim());
    if (!path) throw invalidPath(`Invalid path '${text}'`);
    return { path };
  }
  const path = parseAttrPath(text.slice(0, open).trim());
  if (!path || path.name === '' || path.sub) throw invalidPath(`Invalid path '${text}'`);
  // The closing bracket, skipping any inside quoted strings.
  let i = open + 1;
  let close = -1;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (text[i] === ']') {
      close = i;
      break;
    }
    i++;
  }
  if (close === -1) throw invalidPath(`Missing ']' in path '${text}'`);
  let filter: Filter;
  try {
    filter = parseFilter(text.slice(open + 1, close), { valFilter: true });
  } catch (error) {
    throw invalidPath(`Invalid value filter in path '${text}': ${(error as Error).message}`);
  }
  const rest = text.slice(close + 1);
  if (rest === '') return { path, filter };
  const sub = /^\.([A-Za-z$][A-Za-z0-9_$-]*)$/.exec(rest);
  if (!sub) throw invalidPath(`Invalid path '${text}'`);
  return { path, filter, sub: sub[1] };
}

/** The filter written back as text (for logs and tests). */
export function formatFilter(f: Filter): string {
  switch (f.op) {
    case 'and':
    case 'or':
      return `(${formatFilter(f.left)} ${f.op} ${formatFilter(f.right)})`;
    case 'not':
      return `not (${formatFilter(f.filter)})`;
    case 'pr':
      return `${f.path.raw} pr`;
    case 'valuePath':
      return `${f.path.raw}[${formatFilter(f.filter)}]`;
    default:
      return `${f.path.raw} ${f.op} ${JSON.stringify(f.value)}`;
  }
}
