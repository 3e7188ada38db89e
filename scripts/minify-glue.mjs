// Shrinks Emscripten's JavaScript glue (build/site/videochat.js) after the link, in place.
// Debian's Emscripten 3.1.6 only strips whitespace from it; terser also gives local variables and
// functions short names and folds what it can. It renames no property, so every name the page,
// Embind, our --js-library files and the browser use stays as it is (Closure Compiler's advanced
// mode would rename them, and each library would have to quote every property it shares).
//
//   node scripts/minify-glue.mjs build/site/videochat.js
import { readFileSync, writeFileSync } from 'node:fs';
import { minify } from 'terser';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/minify-glue.mjs FILE.js');
  process.exit(2);
}
const source = readFileSync(file, 'utf8');
// The glue is an ES module (-sEXPORT_ES6) for the browsers the client supports (Chrome 94,
// Firefox 115, Safari 15.4: ES2020 at least).
const result = await minify(source, {
  module: true,
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
});
writeFileSync(file, result.code);
console.log(`minify-glue: ${file}: ${source.length} -> ${result.code.length} bytes`);
