/**
 * Every user-facing string of src/ has a complete Spanish translation, placeholders included.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.resolve(__dirname, '..');
const SPANISH = path.resolve(
  __dirname,
  '../../../jupyter_adaptive/locale/es_ES/LC_MESSAGES/jupyter_adaptive.json'
);

interface Message {
  msgid: string;
  plural?: string;
  file: string;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === '__tests__' ? [] : sources(full);
    }
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The literal arguments of `trans.__(...)` and `trans._n(...)` calls. */
function messages(): Message[] {
  const found: Message[] = [];
  for (const file of sources(SRC)) {
    const text = fs.readFileSync(file, 'utf-8');
    const tree = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        /trans$/.test(node.expression.expression.getText()) &&
        ['__', '_n'].includes(node.expression.name.text)
      ) {
        const [first, second] = node.arguments;
        const literal = (arg: ts.Expression | undefined) => {
          if (!arg || !ts.isStringLiteralLike(arg)) {
            throw new Error(
              `${file}: translate literal strings only: ${node.getText()}`
            );
          }
          return arg.text;
        };
        found.push({
          msgid: literal(first),
          plural:
            node.expression.name.text === '_n' ? literal(second) : undefined,
          file: path.relative(SRC, file)
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return found;
}

const placeholders = (text: string) => (text.match(/%\d/g) ?? []).sort();

describe('the Spanish translation', () => {
  const catalog = JSON.parse(fs.readFileSync(SPANISH, 'utf-8')) as Record<
    string,
    unknown
  >;
  const found = messages();

  it('names its domain and language', () => {
    expect(catalog['']).toMatchObject({
      domain: 'jupyter_adaptive',
      language: 'es-ES'
    });
  });

  it('finds the strings of the extension', () => {
    expect(found.length).toBeGreaterThan(40);
  });

  it('translates every string, with the same placeholders', () => {
    const missing = found.filter(m => !Array.isArray(catalog[m.msgid]));
    expect(missing.map(m => `${m.file}: ${m.msgid}`)).toEqual([]);
    for (const message of found) {
      const forms = catalog[message.msgid] as string[];
      expect(forms).toHaveLength(message.plural ? 2 : 1);
      for (const form of forms) {
        expect(form.trim()).not.toBe('');
        expect(placeholders(form)).toEqual(placeholders(message.msgid));
      }
    }
  });

  it('holds no stale entries', () => {
    const used = new Set(found.map(m => m.msgid));
    const stale = Object.keys(catalog).filter(
      key => key !== '' && !used.has(key)
    );
    expect(stale).toEqual([]);
  });
});
