/**
 * The fixture backends as JavaScript, for the child process of the crash and sync-audit areas
 * (plain node cannot import TypeScript): each is transpiled once into test/.generated/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

const GENERATED = new URL('./.generated/', import.meta.url);
const FIXTURES = ['journal-backend', 'unsafe-backends'];

/** The file URL of the compiled fixture `name` (every fixture is compiled, so their imports resolve). */
export function compiledFixture(name: string): string {
  mkdirSync(GENERATED, { recursive: true });
  for (const fixture of FIXTURES) {
    const source = readFileSync(new URL(`./fixtures/${fixture}.ts`, import.meta.url), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(new URL(`${fixture}.js`, GENERATED), outputText);
  }
  return new URL(`${name}.js`, GENERATED).href;
}
