// Compares what two runs of a flow observed (JS_SDK_FLOW_RESULTS files), ids aside: each run's
// Matrix ids (@user, !room, $event) are renamed by order of first appearance, so a recorded run
// (real ids) and its replay (pseudonyms) compare equal when they saw the same thing with the same
// ids in the same places.
//
// Usage: node flow_results_compare.mjs RECORDED.json REPLAYED.json
// Prints the first difference and exits 1, or prints "same results" and exits 0.

import { readFileSync } from "node:fs";

const [recordedFile, replayedFile] = process.argv.slice(2);
if (!recordedFile || !replayedFile) {
    process.stderr.write("usage: node flow_results_compare.mjs RECORDED.json REPLAYED.json\n");
    process.exit(2);
}

// The same id shape the recorder pseudonymises: a sigil, an opaque part, a server name.
const ID = /^[@!$][^:\s]+(:[A-Za-z0-9.\-[\]]+(:\d+)?)?$/;

function canonical(value, names) {
    if (Array.isArray(value)) return value.map((element) => canonical(element, names));
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((key) => [key, canonical(value[key], names)]),
        );
    }
    if (typeof value === "string" && ID.test(value)) {
        if (!names.has(value)) names.set(value, `${value[0]}id${names.size + 1}`);
        return names.get(value);
    }
    return value;
}

const read = (file) => canonical(JSON.parse(readFileSync(file, "utf8")), new Map());
const recorded = read(recordedFile);
const replayed = read(replayedFile);

function firstDifference(a, b, path) {
    if (JSON.stringify(a) === JSON.stringify(b)) return null;
    if (a && b && typeof a === "object" && typeof b === "object") {
        for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
            const found = firstDifference(a[key], b[key], `${path}.${key}`);
            if (found) return found;
        }
    }
    return `${path}: recorded ${JSON.stringify(a)}, replayed ${JSON.stringify(b)}`;
}

const difference = firstDifference(recorded, replayed, "$");
if (difference) {
    process.stdout.write(`the replay observed something else than the recording (ids renamed by first appearance): ${difference}\n`);
    process.exit(1);
}
process.stdout.write("same results (ids renamed by first appearance)\n");
