// Writes tests/data/hours-corpus.json: each opening_hours value of the corpus with
// the intervals the reference library, opening_hours.js, computes for it over a
// fixed period in France. The Python test compares our words with these.
// Run with `npm ci && npm run build` (TZ=Europe/Paris: the reference reads local time).
'use strict';
const fs = require('fs');
const path = require('path');
const opening_hours = require('opening_hours');
const { version } = require('opening_hours/package.json');

if (process.env.TZ !== 'Europe/Paris') throw new Error('run with TZ=Europe/Paris (npm run build)');

// Rennes: French public holidays, and the sun where values follow it.
// Strings, as Nominatim gives them: numbers are ignored and the sun is put at 06:00-18:00.
const PLACE = { lat: '48.1173', lon: '-1.6778', address: { country_code: 'fr', state: 'Bretagne' } };
// Eight weeks with Easter Monday, 1 and 8 May, Ascension, and two whole months.
const START = new Date(2026, 2, 30, 0, 0);
const END = new Date(2026, 4, 25, 0, 0);

const minutes = (date) => Math.round((date - START) / 60000);
const sources = [
    ['values-opening_hours.js.jsonl', 'opening_hours.js test suite (test/test.js)'],
    ['values-extra.jsonl', null],
];
const corpus = [];
const seen = new Set();
for (const [file, origin] of sources) {
    for (const line of fs.readFileSync(path.join(__dirname, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const entry = JSON.parse(line);
        if (seen.has(entry.value)) continue;
        seen.add(entry.value);
        const item = { value: entry.value, source: entry.source || origin, kind: entry.kind || '' };
        try {
            const oh = new opening_hours(entry.value, PLACE, { mode: 0, warnings_severity: 4 });
            item.reference = 'ok';
            item.warnings = oh.getWarnings().length;
            // [start, end] in minutes from the period's start, unknown (0/1), comment
            item.intervals = oh.getOpenIntervals(START, END).map(([from, to, unknown, comment]) => [
                minutes(from), minutes(to), unknown ? 1 : 0, comment || '',
            ]);
        } catch (error) {
            item.reference = 'error';
            item.error = String(error).split('\n')[0].slice(0, 200);
        }
        corpus.push(item);
    }
}
const out = {
    about: 'Real-world opening_hours values with the intervals opening_hours.js computes for them. '
        + 'Built by tools/hours-corpus/build.js; sources and licences in tests/data/hours-corpus.md.',
    reference: `opening_hours.js ${version}`,
    timezone: 'Europe/Paris',
    place: [Number(PLACE.lat), Number(PLACE.lon)],
    start: '2026-03-30T00:00',
    end: '2026-05-25T00:00',
    values: corpus,
};
const target = path.join(__dirname, '..', '..', 'tests', 'data', 'hours-corpus.json');
fs.writeFileSync(target, JSON.stringify(out, null, 0).replace(/\},\{"value"/g, '},\n{"value"') + '\n');
console.log(`${corpus.length} values written to ${target}`);
