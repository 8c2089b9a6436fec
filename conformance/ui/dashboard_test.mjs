// The dashboard's browser test: drives Chromium headless (puppeteer-core) against a running
// matrix-mockserver's /__admin/ui through the page's stable hooks (table#request-list rows by
// data-entry-id, section#detail, section#coverage rows by data-operation, body[data-ready]),
// checking a clean load, a live row within 1 s, its body on click, hostile bodies shown as text, violations
// highlighted and counted in the coverage view, and a screenshot for CI.
//
// Usage: node dashboard_test.mjs BASE_URL SCREENSHOT_FILE CHROMIUM_BINARY
// Exits 0 when every check passes, 1 naming the first failed check and what it saw.

import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import path from "node:path";

// puppeteer-core is locked with the client flows' npm packages in conformance/clients, so one
// `npm ci` serves both; Node resolves bare imports from the importing file's folders only.
const requireFromClients = createRequire(new URL("../clients/package.json", import.meta.url));
const puppeteer = requireFromClients("puppeteer-core");

const viewport = { width: 1400, height: 900 };
// The contract promises new requests within 1 s (polling of at most 500 ms); waits go longer
// so a slow row is measured and reported rather than just timed out.
const liveRowLimitMs = 1000;
const waitMs = 10000;
const hostileJsonValue = "<img src=x onerror=alert(1)>";
const hostileJsonBody = JSON.stringify({ msg: hostileJsonValue });
const hostileTextBody = "<script>window.__pwned=1</script>";
const hostileHeaderValue = "<img src=x onerror=alert(3)>";

class CheckFailed extends Error {}

function fail(check, message) {
    throw new CheckFailed(`dashboard check failed at "${check}": ${message}`);
}

function step(message) {
    console.log(`== ${message}`);
}

// Sends one request from Node (not the page) with `uitest=MARKER` in its query, which the spec
// allows (unknown query parameters are no violation), so its row and journal entry can be
// told apart from the others. Returns the target and when it was sent and answered.
async function send(baseUrl, marker, { method, requestPath, headers = {}, body }) {
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

// The journal entry of a request sent by send(), found by its exact target.
async function journalEntry(baseUrl, target) {
    const response = await fetch(`${baseUrl}/__admin/requests?limit=100`);
    if (!response.ok) {
        fail("journal", `GET /__admin/requests answered ${response.status}`);
    }
    const { requests } = await response.json();
    const entry = requests.find((candidate) => candidate.target === target);
    if (!entry) {
        fail("journal", `no journal entry with target ${target} (the server did not record it)`);
    }
    return entry;
}

// Records, in the page, when each request row first appears (Date.now(), the clock Node's
// Date.now() reads too), so the latency of a live row is measured where it is drawn however
// the page re-renders the list.
async function watchRows(page) {
    await page.evaluate(() => {
        window.__uitestRowSeenAt = {};
        const record = () => {
            const now = Date.now();
            for (const row of document.querySelectorAll("table#request-list tr[data-entry-id]")) {
                const id = row.getAttribute("data-entry-id");
                if (!(id in window.__uitestRowSeenAt)) window.__uitestRowSeenAt[id] = now;
            }
        };
        record();
        new MutationObserver(record).observe(document.body, {
            childList: true,
            subtree: true,
            attributes: true,
            attributeFilter: ["data-entry-id"],
        });
    });
}

async function waitForRow(page, check, entryId) {
    try {
        await page.waitForFunction((id) => id in window.__uitestRowSeenAt, { timeout: waitMs, polling: 50 }, String(entryId));
    } catch {
        const rows = await page.$$eval("table#request-list tr[data-entry-id]", (found) => found.map((row) => row.getAttribute("data-entry-id")));
        fail(check, `no row tr[data-entry-id="${entryId}"] in table#request-list after ${waitMs} ms; rows: [${rows.join(", ")}]`);
    }
    return page.evaluate((id) => window.__uitestRowSeenAt[id], String(entryId));
}

function rowSelector(entryId) {
    return `table#request-list tr[data-entry-id="${entryId}"]`;
}

// Clicks a request's row and waits until pre#detail-request-body shows what `expected` says.
async function openDetail(page, check, entryId, expected) {
    const selector = rowSelector(entryId);
    await page.click(selector);
    try {
        await page.waitForFunction(
            (text) => {
                const pre = document.querySelector("section#detail pre#detail-request-body");
                return pre !== null && pre.textContent.includes(text);
            },
            { timeout: waitMs, polling: 50 },
            expected,
        );
    } catch {
        const shown = await page.evaluate(() => document.querySelector("pre#detail-request-body")?.textContent ?? "(no pre#detail-request-body)");
        const markup = await injectedMarkup(page);
        fail(
            check,
            `after clicking row ${entryId}, pre#detail-request-body does not contain ${JSON.stringify(expected)}; it shows ${JSON.stringify(shown.slice(0, 300))}` +
                (markup.length > 0 ? `; request values became markup: ${markup.join(" | ")}` : ""),
        );
    }
}

// Markup that a hostile value would have become had the page inserted it as HTML.
async function injectedMarkup(page) {
    return page.evaluate(() => {
        const found = [];
        for (const element of document.querySelectorAll('[onerror], img[src="x"]')) found.push(element.outerHTML.slice(0, 120));
        for (const element of document.querySelectorAll("#detail script, #request-list script, #coverage script, #stubs script")) found.push(element.outerHTML.slice(0, 120));
        return found;
    });
}

async function cellText(page, entryId, cellClass) {
    return page.$eval(`${rowSelector(entryId)} .${cellClass}`, (cell) => cell.textContent.trim()).catch(() => null);
}

async function run(baseUrl, screenshotFile, chromiumPath) {
    const problems = []; // console errors, page errors, failed requests, dialogs: any fails check 1 or 4
    let listening = true;
    const browser = await puppeteer.launch({
        executablePath: chromiumPath,
        headless: true,
        defaultViewport: viewport,
        // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
        args: ["--no-sandbox", "--disable-dev-shm-usage", `--window-size=${viewport.width},${viewport.height}`],
    });
    let page;
    try {
        step(`Chromium ${await browser.version()} (${chromiumPath})`);
        page = await browser.newPage();
        page.on("console", (message) => {
            if (listening && message.type() === "error") problems.push(`console error: ${message.text()} (${message.location()?.url ?? "no location"})`);
        });
        page.on("pageerror", (error) => {
            if (listening) problems.push(`page error: ${error.message}`);
        });
        page.on("requestfailed", (request) => {
            if (listening) problems.push(`failed request: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
        });
        page.on("response", (response) => {
            if (listening && response.status() >= 400) problems.push(`request answered ${response.status()}: ${response.request().method()} ${response.url()}`);
        });
        page.on("dialog", async (dialog) => {
            problems.push(`dialog opened (${dialog.type()}): ${dialog.message()}`);
            await dialog.dismiss().catch(() => {});
        });

        // 1. the page loads cleanly and says when its first render is done
        const uiUrl = `${baseUrl}/__admin/ui`;
        step(`1. open ${uiUrl} at ${viewport.width}x${viewport.height}`);
        const response = await page.goto(uiUrl, { waitUntil: "load", timeout: waitMs });
        if (!response || response.status() !== 200) {
            fail("1. page loads", `GET /__admin/ui answered ${response ? response.status() : "nothing"}`);
        }
        try {
            await page.waitForSelector('body[data-ready="true"]', { timeout: waitMs });
        } catch {
            fail("1. page loads", `body[data-ready="true"] not set after ${waitMs} ms; problems seen: ${problems.join("; ") || "none"}`);
        }
        for (const hook of ["table#request-list", "section#detail", "section#coverage", "section#stubs"]) {
            if (!(await page.$(hook))) fail("1. page loads", `no ${hook} on the page`);
        }
        if (problems.length > 0) fail("1. page loads", problems.join("; "));
        step("1. loaded: data-ready, no console error, page error or failed request");

        // 2. a request sent after load shows up as a row within 1 s
        await watchRows(page);
        const username = `uitest${process.pid}`;
        const fresh = await send(baseUrl, "fresh", {
            method: "POST",
            requestPath: "/_matrix/client/v3/register",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ username, password: "ui-test-password", auth: { type: "m.login.dummy" } }),
        });
        const freshEntry = await journalEntry(baseUrl, fresh.target);
        const freshSeenAt = await waitForRow(page, "2. live row", freshEntry.id);
        const latencyMs = freshSeenAt - fresh.sentAt;
        step(`2. live row latency: POST ${fresh.target} (answered ${fresh.status} in ${fresh.answeredAt - fresh.sentAt} ms) appeared as row ${freshEntry.id} ${latencyMs} ms after it was sent`);
        if (latencyMs > liveRowLimitMs) fail("2. live row", `row ${freshEntry.id} appeared ${latencyMs} ms after its request was sent, more than ${liveRowLimitMs} ms`);
        const method = await cellText(page, freshEntry.id, "method");
        const operation = await cellText(page, freshEntry.id, "operation");
        const status = await cellText(page, freshEntry.id, "status");
        const answeredBy = await cellText(page, freshEntry.id, "answered-by");
        const target = await cellText(page, freshEntry.id, "target");
        if (method !== "POST" || operation !== "register" || status !== String(fresh.status) || answeredBy !== "simulation" || !target?.includes("/register")) {
            fail("2. live row", `row ${freshEntry.id} shows method ${JSON.stringify(method)}, target ${JSON.stringify(target)}, status ${JSON.stringify(status)}, operation ${JSON.stringify(operation)}, answered by ${JSON.stringify(answeredBy)}; expected POST, .../register..., ${fresh.status}, register, simulation`);
        }

        // 3. clicking the row shows its body
        await openDetail(page, "3. detail body", freshEntry.id, `"${username}"`);
        step(`3. clicking row ${freshEntry.id} shows its body in pre#detail-request-body`);

        // 4. hostile bodies (and a header) are shown as text, never as markup
        const hostileJson = await send(baseUrl, "hostile-json", {
            method: "POST",
            requestPath: "/_matrix/client/v3/login",
            headers: { "Content-Type": "application/json", "X-Uitest": hostileHeaderValue },
            body: hostileJsonBody,
        });
        const hostileText = await send(baseUrl, "hostile-text", {
            method: "POST",
            requestPath: "/_matrix/client/v3/login",
            headers: { "Content-Type": "text/plain", "X-Uitest": hostileHeaderValue },
            body: hostileTextBody,
        });
        for (const [sent, expected] of [
            [hostileJson, hostileJsonValue],
            [hostileText, hostileTextBody],
        ]) {
            const entry = await journalEntry(baseUrl, sent.target);
            await waitForRow(page, "4. hostile body", entry.id);
            await openDetail(page, "4. hostile body", entry.id, expected);
            const markup = await injectedMarkup(page);
            if (markup.length > 0) fail("4. hostile body", `a request's value became markup on the page: ${markup.join(" | ")}`);
            const detailHasHeader = await page.$eval("section#detail", (detail, value) => detail.textContent.includes(value), hostileHeaderValue);
            if (!detailHasHeader) fail("4. hostile body", `section#detail of row ${entry.id} does not show the X-Uitest header's value ${JSON.stringify(hostileHeaderValue)} as text`);
            step(`4. row ${entry.id} (${sent.target}) shows ${JSON.stringify(expected)} as text`);
        }
        const pwned = await page.evaluate(() => typeof window.__pwned);
        if (pwned !== "undefined") fail("4. hostile body", `the text body's script ran: window.__pwned is ${pwned}`);
        if (problems.length > 0) fail("4. hostile body", problems.join("; "));
        step("4. no injected element, no script run, no dialog");

        // 5. a violating request is highlighted, and the coverage view counts it
        const violating = await send(baseUrl, "violating", {
            method: "POST",
            requestPath: "/_matrix/client/v3/createRoom",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ name: "no token sent" }),
        });
        const violatingEntry = await journalEntry(baseUrl, violating.target);
        if (!violatingEntry.violations?.some((violation) => violation.rule === "missing_token")) {
            fail("5. violation", `the server did not record a missing_token violation for ${violating.target}: ${JSON.stringify(violatingEntry.violations)}`);
        }
        await waitForRow(page, "5. violation", violatingEntry.id);
        const highlighted = await page.$eval(rowSelector(violatingEntry.id), (row) => row.classList.contains("violating"));
        if (!highlighted) fail("5. violation", `row ${violatingEntry.id} (${violating.target}, violations ${JSON.stringify(violatingEntry.violations)}) has no class "violating"`);
        const freshHighlighted = await page.$eval(rowSelector(freshEntry.id), (row) => row.classList.contains("violating"));
        if (freshHighlighted) fail("5. violation", `row ${freshEntry.id} (${fresh.target}, conformant) has class "violating"`);
        const verdictOf = (operationId) =>
            page
                .waitForFunction(
                    (id) => document.querySelector(`section#coverage tr[data-operation="${id}"] .verdict`)?.textContent.trim() || null,
                    { timeout: waitMs, polling: 100 },
                    operationId,
                )
                .then((handle) => handle.jsonValue())
                .catch(() => fail("5. coverage", `no section#coverage tr[data-operation="${operationId}"] with a .verdict cell after ${waitMs} ms`));
        // The coverage view may refresh on its own schedule: wait until createRoom's verdict
        // reflects the violating request before judging the rest.
        try {
            await page.waitForFunction(
                () => document.querySelector('section#coverage tr[data-operation="createRoom"] .verdict')?.textContent.trim() === "violating",
                { timeout: waitMs, polling: 100 },
            );
        } catch {
            fail("5. coverage", `section#coverage tr[data-operation="createRoom"] .verdict is ${JSON.stringify(await verdictOf("createRoom"))} ${waitMs} ms after a violating createRoom, not "violating"`);
        }
        const registerVerdict = await verdictOf("register");
        if (registerVerdict !== "conformant" && registerVerdict !== "exercised") {
            fail("5. coverage", `register's verdict is ${JSON.stringify(registerVerdict)} after one conformant request; expected conformant or exercised`);
        }
        // getRoomVisibilityOnDirectory: nothing above asked for it, and the page does not either.
        const untouchedVerdict = await verdictOf("getRoomVisibilityOnDirectory");
        if (untouchedVerdict !== "never") fail("5. coverage", `getRoomVisibilityOnDirectory's verdict is ${JSON.stringify(untouchedVerdict)}; nothing called it, expected never`);
        const verdicts = await page.$$eval("section#coverage tr[data-operation] .verdict", (cells) => cells.map((cell) => cell.textContent.trim()));
        const unknown = [...new Set(verdicts)].filter((verdict) => !["exercised", "conformant", "violating", "never"].includes(verdict));
        if (unknown.length > 0) fail("5. coverage", `verdicts outside exercised/conformant/violating/never: ${unknown.join(", ")}`);
        step(`5. row ${violatingEntry.id} has class violating; coverage (${verdicts.length} operations): createRoom violating, register ${registerVerdict}, getRoomVisibilityOnDirectory never`);

        // 5. a mounted stub shows its remaining uses, and its requests name it as who answered
        const stubName = `uitest-whoami-${process.pid}`;
        const mounted = await fetch(`${baseUrl}/__admin/mappings`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
                name: stubName,
                priority: 5,
                maxUses: 3,
                request: { method: "GET", urlPath: "/_matrix/client/v3/account/whoami" },
                response: { status: 200, jsonBody: { user_id: "@uitest:localhost" } },
            }),
        });
        if (mounted.status !== 201) fail("5. stubs", `POST /__admin/mappings answered ${mounted.status}: ${await mounted.text()}`);
        const stubId = (await mounted.json()).id;
        const stubbed = await send(baseUrl, "stub", { method: "GET", requestPath: "/_matrix/client/v3/account/whoami" });
        const stubbedEntry = await journalEntry(baseUrl, stubbed.target);
        await waitForRow(page, "5. stubs", stubbedEntry.id);
        const stubAnswered = await cellText(page, stubbedEntry.id, "answered-by");
        if (!stubAnswered?.includes(stubId)) fail("5. stubs", `row ${stubbedEntry.id} (answered by stub ${stubId}) shows ${JSON.stringify(stubAnswered)} in .answered-by`);
        // Used once of 3 with priority 5: the stub's row has a cell saying exactly 2 (remaining).
        try {
            await page.waitForFunction(
                (name) =>
                    [...document.querySelectorAll("section#stubs tr")].some(
                        (row) => row.textContent.includes(name) && [...row.cells].some((cell) => cell.textContent.trim() === "2"),
                    ),
                { timeout: waitMs, polling: 100 },
                stubName,
            );
        } catch {
            const shown = await page.$eval("section#stubs", (section) => section.textContent.replace(/\s+/g, " ").slice(0, 400));
            fail("5. stubs", `section#stubs has no row naming ${stubName} with 2 remaining uses (3 allowed, 1 used); it shows ${JSON.stringify(shown)}`);
        }
        step(`5. stub ${stubName} (${stubId}) answered row ${stubbedEntry.id} and shows 2 uses remaining`);

        // 5. the coverage row of an operation links to its requests: following the link
        // filters the list to them or selects one (the contract allows either)
        const link = await page.$('section#coverage tr[data-operation="createRoom"] a, section#coverage tr[data-operation="createRoom"] button');
        if (!link) fail("5. coverage link", 'section#coverage tr[data-operation="createRoom"] has no link (a or button) to its request');
        await link.click();
        try {
            await page.waitForFunction(
                (violatingId, freshId, violatingBody) => {
                    const shown = (id) => {
                        const row = document.querySelector(`table#request-list tr[data-entry-id="${id}"]`);
                        return row !== null && row.getClientRects().length > 0;
                    };
                    const selected = document.querySelector("pre#detail-request-body")?.textContent.includes(violatingBody);
                    return shown(violatingId) && (!shown(freshId) || selected);
                },
                { timeout: waitMs, polling: 100 },
                String(violatingEntry.id),
                String(freshEntry.id),
                "no token sent",
            );
        } catch {
            const rows = await page.$$eval("table#request-list tr[data-entry-id]", (found) => found.filter((row) => row.getClientRects().length > 0).map((row) => row.getAttribute("data-entry-id")));
            fail("5. coverage link", `after following createRoom's link, the list shows rows [${rows.join(", ")}] and the detail does not show request ${violatingEntry.id}; expected the list filtered to ${violatingEntry.id} or that request selected`);
        }
        step(`5. createRoom's coverage link leads to request ${violatingEntry.id}`);

        // 6. a fresh load renders the entries already there (hostile ones included) unfiltered;
        // the screenshot shows them with the hostile JSON body open in the detail pane
        await page.reload({ waitUntil: "load", timeout: waitMs });
        try {
            await page.waitForSelector('body[data-ready="true"]', { timeout: waitMs });
        } catch {
            fail("6. reload", `body[data-ready="true"] not set ${waitMs} ms after reloading`);
        }
        const hostileJsonEntry = await journalEntry(baseUrl, hostileJson.target);
        const hostileTextEntry = await journalEntry(baseUrl, hostileText.target);
        const expectedIds = [freshEntry.id, hostileJsonEntry.id, hostileTextEntry.id, violatingEntry.id, stubbedEntry.id].map(String);
        const listed = await page.$$eval("table#request-list tr[data-entry-id]", (found) => found.map((row) => row.getAttribute("data-entry-id")));
        const missing = expectedIds.filter((id) => !listed.includes(id));
        if (missing.length > 0) fail("6. reload", `after reloading, rows [${missing.join(", ")}] are missing from table#request-list (it lists [${listed.join(", ")}])`);
        const markupAfterReload = await injectedMarkup(page);
        if (markupAfterReload.length > 0) fail("6. reload", `a request's value became markup on first load: ${markupAfterReload.join(" | ")}`);
        await openDetail(page, "6. reload", hostileJsonEntry.id, hostileJsonValue);
        // Clicking scrolled the list to the row: scroll it back to the newest/oldest end and
        // bring the body into the detail pane's view, for the screenshot.
        await page.evaluate(() => {
            document.querySelector("pre#detail-request-body").scrollIntoView({ block: "center", inline: "nearest" });
            for (let element = document.querySelector("table#request-list"); element; element = element.parentElement) element.scrollTop = 0;
            window.scrollTo(0, 0);
        });
        step(`6. reloaded: rows [${expectedIds.join(", ")}] listed, no markup; row ${hostileJsonEntry.id} open`);

        // 6. one screenshot shows the request list and the coverage view (taken before judging
        // what is on screen, so a failure below has it to show)
        mkdirSync(path.dirname(screenshotFile), { recursive: true });
        await page.screenshot({ path: screenshotFile });
        step(`6. screenshot of the request list and coverage view: ${screenshotFile}`);
        const offScreen = await page.evaluate(
            (width, height) =>
                ["table#request-list", "section#coverage"].filter((selector) => {
                    const box = document.querySelector(selector).getBoundingClientRect();
                    return box.width === 0 || box.height === 0 || box.top >= height || box.left >= width || box.bottom <= 0 || box.right <= 0;
                }),
            viewport.width,
            viewport.height,
        );
        if (offScreen.length > 0) fail("6. screenshot", `not within the ${viewport.width}x${viewport.height} viewport: ${offScreen.join(", ")}`);
        // What the views are for must be on screen too, not scrolled or clipped away: a
        // request's status and operation, and an operation's verdict.
        const hidden = await page.evaluate(() =>
            ["table#request-list tr[data-entry-id] .status", "table#request-list tr[data-entry-id] .operation", "section#coverage tr[data-operation] .verdict"].map((selector) => {
                const cell = document.querySelector(selector);
                if (!cell) return [`${selector} (none)`];
                const box = cell.getBoundingClientRect();
                const atCentre = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
                if (atCentre !== null && (atCentre === cell || cell.contains(atCentre))) return [];
                const seen = atCentre === null ? "outside the viewport" : `under ${atCentre.tagName.toLowerCase()}${atCentre.id ? "#" + atCentre.id : ""}${atCentre.className ? "." + String(atCentre.className).split(" ").join(".") : ""}`;
                return [`${selector} at (${Math.round(box.left)}, ${Math.round(box.top)}) is ${seen}`];
            }).flat(),
        );
        if (hidden.length > 0) fail("6. screenshot", `the first of each is not visible at ${viewport.width}x${viewport.height} (outside the viewport, clipped or covered): ${hidden.join("; ")}`);
        if (problems.length > 0) fail("6. screenshot", problems.join("; "));
        listening = false; // closing the browser cancels the page's pending polls
    } catch (error) {
        // The page as the failed check left it, for CI to keep beside the error.
        const failureShot = path.join(path.dirname(screenshotFile), "dashboard-failure.png");
        if (page && !page.isClosed()) {
            mkdirSync(path.dirname(failureShot), { recursive: true });
            await page.screenshot({ path: failureShot }).then(
                () => console.log(`== screenshot at the failure: ${failureShot}`),
                () => {},
            );
        }
        throw error;
    } finally {
        listening = false;
        await browser.close();
    }
}

const [baseUrl, screenshotFile, chromiumPath] = process.argv.slice(2);
if (!baseUrl || !screenshotFile || !chromiumPath) {
    console.error("usage: node dashboard_test.mjs BASE_URL SCREENSHOT_FILE CHROMIUM_BINARY");
    process.exit(2);
}
try {
    await run(baseUrl, path.resolve(screenshotFile), chromiumPath);
    console.log("dashboard browser test passed");
} catch (error) {
    console.error(error instanceof CheckFailed ? error.message : `dashboard browser test failed: ${error.stack}`);
    process.exit(1);
}
