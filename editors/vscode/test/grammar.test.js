// Tokenises the samples with the extension's TextMate grammar, as VS Code would (vscode-textmate
// with the Oniguruma regex engine), and checks the scope of each kind of token.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.join(__dirname, '..');
const samples = path.join(root, '..', '..', 'samples');
const grammarPath = path.join(root, 'syntaxes', 'nn.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => scopeName === 'source.nn'
      ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  return registry.loadGrammar('source.nn');
}

/** Every line's tokens: [{text, scopes}] per line. */
function tokenize(grammar, text) {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.substring(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The innermost scope of the token that is exactly `word`, the n-th such on the line containing `lineHas`. */
function scopeOf(lines, lineHas, word, n = 0) {
  const line = lines.find((ts) => ts.map((t) => t.text).join('').includes(lineHas));
  assert.ok(line, `no line contains ${lineHas}`);
  const tokens = line.filter((t) => t.text === word);
  assert.ok(tokens.length > n, `no token '${word}' on the line with ${lineHas}: ${JSON.stringify(line)}`);
  const scopes = tokens[n].scopes;
  return scopes[scopes.length - 1];
}

test('the tokens of fashion_cnn_bn.nn have the scopes themes colour', async () => {
  const grammar = await loadGrammar();
  const lines = tokenize(grammar, fs.readFileSync(path.join(samples, 'fashion_cnn_bn.nn'), 'utf8'));
  const expect = (lineHas, word, scope, n = 0) => assert.strictEqual(scopeOf(lines, lineHas, word, n), scope,
    `'${word}' on the line with '${lineHas}'`);
  expect('# A CNN', '#', 'punctuation.definition.comment.nn');
  expect('block ConvBn', 'block', 'storage.type.block.nn');
  expect('block ConvBn', 'ConvBn', 'entity.name.function.block.nn');
  expect('input x', 'input', 'keyword.other.input.nn');
  expect('input x', 'x', 'variable.parameter.input.nn');
  expect('conv2d(c, 3', 'conv2d', 'support.function.layer.nn');
  expect('conv2d(c, 3', '3', 'constant.numeric.nn');
  expect('conv2d(c, 3', 'pad', 'variable.parameter.argument.nn');
  expect('conv2d(c, 3', 'same', 'constant.language.nn');
  expect('conv2d(c, 3', '->', 'keyword.operator.pipe.nn');
  expect('conv2d(c, 3', 'batchnorm', 'support.function.layer.nn');
  expect('model BnCnn', 'model', 'storage.type.model.nn');
  expect('model BnCnn', 'BnCnn', 'entity.name.type.model.nn');
  expect('model BnCnn', '0.3', 'constant.numeric.nn');
  expect('x -> ConvBn(32)', 'ConvBn', 'entity.name.function.call.nn');
  expect('x -> ConvBn(32)', ':', 'punctuation.separator.shape.nn');
  expect('x -> ConvBn(32)', '14', 'constant.numeric.nn');
  expect('data fashion', 'data', 'storage.type.data.nn');
  expect('data fashion', 'fashion', 'variable.other.constant.data.nn');
  expect('data fashion', 'idx', 'entity.name.function.call.nn');
  expect('data fashion', '|', 'keyword.operator.transform.nn');
  expect('data fashion', 'fashion_mnist', 'string.quoted.double.nn');
  expect('data fashion', '"', 'punctuation.definition.string.begin.nn');
  expect('train BnCnn', 'train', 'keyword.control.train.nn');
  expect('train BnCnn', 'on', 'keyword.other.on.nn');
  expect('weight_decay', '5e-4', 'constant.numeric.nn');
  expect('nesterov', 'true', 'constant.language.nn');
  expect('nesterov', 'lr', 'variable.parameter.argument.nn');
});

test('every sample tokenises with nothing left unscoped but names and blanks', async () => {
  const grammar = await loadGrammar();
  const files = fs.readdirSync(samples).filter((f) => f.endsWith('.nn'));
  assert.ok(files.length >= 5);
  for (const f of files) {
    const lines = tokenize(grammar, fs.readFileSync(path.join(samples, f), 'utf8'));
    lines.forEach((tokens, i) => {
      for (const t of tokens) {
        if (t.scopes.length === 1) {
          assert.match(t.text, /^[\sA-Za-z0-9_]*$/, `${f}:${i + 1}: '${t.text}' has no scope`);
        }
      }
    });
  }
});

test('the manifest points at the grammar and the language configuration', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lang = pkg.contributes.languages[0];
  assert.strictEqual(lang.id, 'nn');
  assert.deepStrictEqual(lang.extensions, ['.nn']);
  assert.ok(fs.existsSync(path.join(root, lang.configuration)));
  const g = pkg.contributes.grammars[0];
  assert.strictEqual(g.language, 'nn');
  assert.strictEqual(JSON.parse(fs.readFileSync(path.join(root, g.path), 'utf8')).scopeName, g.scopeName);
  const config = JSON.parse(fs.readFileSync(path.join(root, lang.configuration), 'utf8'));
  assert.strictEqual(config.comments.lineComment, '#');
});
