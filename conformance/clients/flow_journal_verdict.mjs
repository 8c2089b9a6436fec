// Judges a client flow's requests from the mock server's journal (JSON lines), for the node flows.
//
// Usage: node flow_journal_verdict.mjs JOURNAL
//
// Prints every request except the harness's own /__admin calls, grouped by the spec operation
// the server identified, with a count and the statuses it got; then the ones answered 4xx/5xx
// (a 404 is what the server lacked, or its answer) by status with an example path; then the spec
// verdicts. Exits 3 when any request is unidentified (no spec operation) or breaks the spec (the
// journal's "violations"), listing them; otherwise 0. A 4xx/5xx alone does not fail: the flow
// itself fails when an answer it needs is missing, and names the step.

import fs from "node:fs";

const journalPath = process.argv[2];
const lines = journalPath && fs.existsSync(journalPath) ? fs.readFileSync(journalPath, "utf8").split("\n") : [];
const seen = new Map();
const unidentified = [];
const violating = [];
let requests = 0;
for (const line of lines) {
    if (!line.trim()) continue;
    let entry;
    try {
        entry = JSON.parse(line);
    } catch {
        continue;
    }
    if (typeof entry.path !== "string" || entry.path.startsWith("/__admin")) continue;
    requests += 1;
    const key = `${entry.method} ${entry.operation ?? "(no spec operation) " + entry.path}`;
    const row = seen.get(key) ?? { count: 0, statuses: new Set(), failures: new Map() };
    row.count += 1;
    row.statuses.add(entry.status);
    if (entry.status >= 400 && !row.failures.has(entry.status)) row.failures.set(entry.status, entry.path);
    seen.set(key, row);
    if (entry.operation === null) unidentified.push(entry);
    if ((entry.violations ?? []).length > 0) violating.push(entry);
}

const say = (line) => process.stdout.write(`${line}\n`);
if (seen.size === 0) say("  (none)");
for (const [key, row] of seen) say(`  ${key}  x${row.count}  [${[...row.statuses].join(",")}]`);

say("== answered 4xx/5xx (a 404 is an operation the server lacks, or its answer, e.g. no key backup)");
const failing = [...seen].filter(([, row]) => row.failures.size > 0);
if (failing.length === 0) say("  (none)");
for (const [key, row] of failing) {
    for (const [status, path] of row.failures) say(`  ${key}  ${status}  e.g. ${path}`);
}

say(`== spec verdicts: ${requests} requests, ${unidentified.length} unidentified, ${violating.length} violating`);
for (const entry of unidentified) say(`  unidentified: #${entry.id} ${entry.method} ${entry.target}`);
for (const entry of violating) {
    for (const v of entry.violations) say(`  violation: #${entry.id} ${entry.operation} ${v.where} [${v.rule}] ${v.message}`);
}
process.exit(unidentified.length + violating.length > 0 ? 3 : 0);
