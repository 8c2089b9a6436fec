// What the dashboard's browser test asks the mock server from Node, outside the page: requests
// for the page to show, their journal entries, and a stub.

import { fail } from "./check_failure.mjs";

// Sends one request with `uitest=MARKER` in its query, which the spec allows (unknown query
// parameters are no violation), so that its journal entry can be found by target. Returns the
// target, the status, and when it was sent and answered (Date.now(), the clock the page reads).
export async function send(baseUrl, marker, { method, requestPath, headers = {}, body }) {
    const target = `${requestPath}${requestPath.includes("?") ? "&" : "?"}uitest=${marker}`;
    const sentAt = Date.now();
    let response;
    try {
        response = await fetch(`${baseUrl}${target}`, { method, headers, body });
        await response.arrayBuffer();
    } catch (error) {
        fail("send", `${method} ${target} did not get an answer: ${error.message}`);
    }
    return { target, status: response.status, sentAt, answeredAt: Date.now() };
}

// The journal entry (GET /__admin/requests) of a request send() sent, found by its target.
export async function journalEntry(baseUrl, target) {
    const response = await fetch(`${baseUrl}/__admin/requests?limit=100`);
    if (!response.ok) fail("journal", `GET /__admin/requests answered ${response.status}`);
    const { requests } = await response.json();
    const entry = requests.find((candidate) => candidate.target === target);
    if (!entry) fail("journal", `no journal entry with target ${target} (the server did not record it)`);
    return entry;
}

// Mounts `mapping` through POST /__admin/mappings and returns the stub's id.
export async function mountStub(baseUrl, check, mapping) {
    const response = await fetch(`${baseUrl}/__admin/mappings`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(mapping),
    });
    if (response.status !== 201) {
        fail(check, `POST /__admin/mappings answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()).id;
}
