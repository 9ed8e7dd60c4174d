// Lists the opening_hours values of opening_hours.js' test suite (test/test.js),
// one JSON string a line, with the kind of test that holds them.
// Usage: node extract.js path/to/test.js > values-opening_hours.js.jsonl
'use strict';
const fs = require('fs');
const text = fs.readFileSync(process.argv[2], 'utf8');
const call = /test\.(addTest|addShouldWarn|addShouldFail)\(/g;
const seen = new Set();
let match;
while ((match = call.exec(text)) !== null) {
    // skip the test's name, then read the first array: its string literals are the values
    let i = text.indexOf('[', match.index);
    let depth = 0;
    let paren = 0;
    let pending = null; // a literal that '+' may continue
    const values = [];
    const flush = () => { if (pending !== null) { values.push(pending); pending = null; } };
    for (; i < text.length; i++) {
        const c = text[i];
        if (c === '/' && text[i + 1] === '/') { i = text.indexOf('\n', i); continue; }
        if (c === '/' && text[i + 1] === '*') { i = text.indexOf('*/', i) + 1; continue; }
        if (c === "'" || c === '"' || c === '`') {
            let j = i + 1;
            while (text[j] !== c) j += text[j] === '\\' ? 2 : 1;
            // eslint-disable-next-line no-eval -- a JS string literal from the test file
            const value = c === '`' ? text.slice(i + 1, j) : eval(text.slice(i, j + 1));
            if (depth === 1 && paren === 0) {
                pending = pending === null ? value : pending + value;
            } else if (depth === 1 && paren === 1 && /ignored\($/.test(text.slice(i - 8, i))) {
                pending = value;
            }
            i = j;
            continue;
        }
        if (c === '[') depth++;
        else if (c === ']') { depth--; if (depth === 0) break; }
        else if (c === '(') paren++;
        else if (c === ')') paren--;
        else if (c === ',' && depth === 1 && paren === 0) flush();
        else if (c === '+' || /\s/.test(c)) continue;
    }
    flush();
    for (const value of values) {
        if (!seen.has(value)) {
            seen.add(value);
            console.log(JSON.stringify({ value, kind: match[1] }));
        }
    }
}
