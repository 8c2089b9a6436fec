// The dashboard's browser test: drives Chromium headless (puppeteer-core) against a running
// matrix-mockserver's /__admin/ui and checks, in order: a clean load, a request's row within
// 1 s of sending it, its body on click, hostile bodies shown as text, a violation highlighted
// and in the coverage view, a stub's remaining uses, the coverage link, a clean reload, a
// screenshot showing the request list and the coverage view, and a live row among thousands.
//
// Usage: node dashboard_test.mjs BASE_URL SCREENSHOT_FILE CHROMIUM_BINARY
// Exits 0 when every check passes, 1 naming the first failed check and what it saw (with a
// screenshot of the page at the failure, dashboard-failure.png beside SCREENSHOT_FILE).

import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import path from "node:path";

import { CheckFailed, fail, step, waitMs } from "./check_failure.mjs";
import {
    cellText,
    collectProblems,
    injectedMarkup,
    listedRowIds,
    notOnScreen,
    openDetail,
    rowHasClass,
    rowSelector,
    verdictOf,
    waitForRow,
    waitForVerdict,
    waitUntilReady,
    watchRows,
} from "./dashboard_page.mjs";
import { journalEntry, mountStub, send } from "./mock_server_client.mjs";

// puppeteer-core is locked with the client flows' npm packages in conformance/clients, so one
// `npm ci` serves both; Node resolves bare imports from the importing file's folders only.
const requireFromClients = createRequire(new URL("../clients/package.json", import.meta.url));
const puppeteer = requireFromClients("puppeteer-core");

const viewport = { width: 1400, height: 900 };
const liveRowLimitMs = 1000; // the contract: new requests appear within 1 s
const hostileJsonValue = "<img src=x onerror=alert(1)>";
const hostileTextBody = "<script>window.__pwned=1</script>";
const hostileHeaderValue = "<img src=x onerror=alert(3)>";
const verdicts = ["exercised", "conformant", "violating", "never"];

function failOnProblems(check, problems) {
    if (problems.length > 0) fail(check, problems.join("; "));
}

// 1. The page loads without errors and says when its first render is done.
async function checkLoad(page, baseUrl, problems) {
    const check = "1. page loads";
    const uiUrl = `${baseUrl}/__admin/ui`;
    step(`1. open ${uiUrl} at ${viewport.width}x${viewport.height}`);
    const response = await page.goto(uiUrl, { waitUntil: "load", timeout: waitMs });
    if (!response || response.status() !== 200) {
        fail(check, `GET /__admin/ui answered ${response ? response.status() : "nothing"}`);
    }
    await waitUntilReady(page, check, problems);
    for (const hook of ["table#request-list", "section#detail", "section#coverage", "section#stubs"]) {
        if (!(await page.$(hook))) fail(check, `no ${hook} on the page`);
    }
    failOnProblems(check, problems);
    step("1. loaded: data-ready, no console error, page error or failed request");
}

// 2. A request sent from Node after the load appears as its row within 1 s, with its cells.
async function checkLiveRow(page, baseUrl, username) {
    const check = "2. live row";
    await watchRows(page);
    const sent = await send(baseUrl, "fresh", {
        method: "POST",
        requestPath: "/_matrix/client/v3/register",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username, password: "ui-test-password", auth: { type: "m.login.dummy" } }),
    });
    const entry = await journalEntry(baseUrl, sent.target);
    const latencyMs = (await waitForRow(page, check, entry.id)) - sent.sentAt;
    step(
        `2. live row latency: POST ${sent.target} (answered ${sent.status} in ${sent.answeredAt - sent.sentAt} ms) ` +
            `appeared as row ${entry.id} ${latencyMs} ms after it was sent`,
    );
    if (latencyMs > liveRowLimitMs) {
        fail(check, `row ${entry.id} appeared ${latencyMs} ms after its request was sent, more than ${liveRowLimitMs} ms`);
    }
    const cells = {};
    for (const name of ["method", "target", "status", "operation", "answered-by"]) cells[name] = await cellText(page, entry.id, name);
    const expected = { method: "POST", target: "/register", status: String(sent.status), operation: "register", "answered-by": "simulation" };
    const wrong = Object.keys(expected).filter((name) =>
        name === "target" ? !cells[name]?.includes(expected[name]) : cells[name] !== expected[name],
    );
    if (wrong.length > 0) {
        fail(check, `row ${entry.id} shows ${JSON.stringify(cells)}; expected ${JSON.stringify(expected)} (target containing it)`);
    }
    return { sent, entry };
}

// 3. Clicking the row shows its body.
async function checkDetail(page, entry, username) {
    await openDetail(page, "3. detail body", entry.id, `"${username}"`);
    step(`3. clicking row ${entry.id} shows its body in pre#detail-request-body`);
}

// 4. Hostile bodies and a hostile header are shown as text, never as markup or script.
async function checkHostileInput(page, baseUrl, problems) {
    const check = "4. hostile body";
    const hostile = [
        ["hostile-json", "application/json", JSON.stringify({ msg: hostileJsonValue }), hostileJsonValue],
        ["hostile-text", "text/plain", hostileTextBody, hostileTextBody],
    ];
    const entries = [];
    for (const [marker, contentType, body, expected] of hostile) {
        const sent = await send(baseUrl, marker, {
            method: "POST",
            requestPath: "/_matrix/client/v3/login",
            headers: { "Content-Type": contentType, "X-Uitest": hostileHeaderValue },
            body,
        });
        const entry = await journalEntry(baseUrl, sent.target);
        await waitForRow(page, check, entry.id);
        await openDetail(page, check, entry.id, expected);
        const markup = await injectedMarkup(page);
        if (markup.length > 0) fail(check, `a request's value became markup on the page: ${markup.join(" | ")}`);
        const headerShown = await page.$eval("section#detail", (detail, value) => detail.textContent.includes(value), hostileHeaderValue);
        if (!headerShown) {
            fail(check, `section#detail of row ${entry.id} does not show the X-Uitest header's value ${JSON.stringify(hostileHeaderValue)} as text`);
        }
        step(`4. row ${entry.id} (${sent.target}) shows ${JSON.stringify(expected)} as text`);
        entries.push(entry);
    }
    const pwned = await page.evaluate(() => typeof window.__pwned);
    if (pwned !== "undefined") fail(check, `the text body's script ran: window.__pwned is ${pwned}`);
    failOnProblems(check, problems);
    step("4. no injected element, no script run, no dialog");
    return entries;
}

// 5. A violating request has class violating (a conformant one not), and the coverage view
// gives its operation the verdict violating, a conformant one's conformant or exercised, and
// an operation nobody called never.
async function checkViolation(page, baseUrl, conformantEntry) {
    const check = "5. violation";
    const sent = await send(baseUrl, "violating", {
        method: "POST",
        requestPath: "/_matrix/client/v3/createRoom",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: "no token sent" }),
    });
    const entry = await journalEntry(baseUrl, sent.target);
    if (!entry.violations?.some((violation) => violation.rule === "missing_token")) {
        fail(check, `the server did not record a missing_token violation for ${sent.target}: ${JSON.stringify(entry.violations)}`);
    }
    await waitForRow(page, check, entry.id);
    if (!(await rowHasClass(page, entry.id, "violating"))) {
        fail(check, `row ${entry.id} (${sent.target}, violations ${JSON.stringify(entry.violations)}) has no class "violating"`);
    }
    if (await rowHasClass(page, conformantEntry.id, "violating")) {
        fail(check, `row ${conformantEntry.id} (${conformantEntry.target}, conformant) has class "violating"`);
    }

    const coverage = "5. coverage";
    await waitForVerdict(page, coverage, "createRoom", "violating", "a createRoom without a token");
    const registerVerdict = await verdictOf(page, coverage, "register");
    if (registerVerdict !== "conformant" && registerVerdict !== "exercised") {
        fail(coverage, `register's verdict is ${JSON.stringify(registerVerdict)} after one conformant request; expected conformant or exercised`);
    }
    // Nothing here asks for getRoomVisibilityOnDirectory, and the page does not either.
    const untouched = await verdictOf(page, coverage, "getRoomVisibilityOnDirectory");
    if (untouched !== "never") {
        fail(coverage, `getRoomVisibilityOnDirectory's verdict is ${JSON.stringify(untouched)}; nothing called it, expected never`);
    }
    const shown = await page.$$eval("section#coverage tr[data-operation] .verdict", (cells) => cells.map((cell) => cell.textContent.trim()));
    const unknown = [...new Set(shown)].filter((verdict) => !verdicts.includes(verdict));
    if (unknown.length > 0) fail(coverage, `verdicts outside ${verdicts.join("/")}: ${unknown.join(", ")}`);
    step(
        `5. row ${entry.id} has class violating; coverage (${shown.length} operations): createRoom violating, ` +
            `register ${registerVerdict}, getRoomVisibilityOnDirectory never`,
    );
    return entry;
}

// 5. A mounted stub shows its remaining uses, and the row of a request it answered names it.
async function checkStub(page, baseUrl) {
    const check = "5. stubs";
    const stubName = `uitest-whoami-${process.pid}`;
    const stubId = await mountStub(baseUrl, check, {
        name: stubName,
        priority: 5,
        maxUses: 3,
        request: { method: "GET", urlPath: "/_matrix/client/v3/account/whoami" },
        response: { status: 200, jsonBody: { user_id: "@uitest:localhost" } },
    });
    const sent = await send(baseUrl, "stub", { method: "GET", requestPath: "/_matrix/client/v3/account/whoami" });
    const entry = await journalEntry(baseUrl, sent.target);
    await waitForRow(page, check, entry.id);
    const answeredBy = await cellText(page, entry.id, "answered-by");
    if (!answeredBy?.includes(stubId)) {
        fail(check, `row ${entry.id} (answered by stub ${stubId}) shows ${JSON.stringify(answeredBy)} in .answered-by`);
    }
    // Used once of 3, priority 5: the stub's row has a cell saying exactly 2 (its remaining uses).
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
        fail(check, `section#stubs has no row naming ${stubName} with 2 remaining uses (3 allowed, 1 used); it shows ${JSON.stringify(shown)}`);
    }
    step(`5. stub ${stubName} (${stubId}) answered row ${entry.id} and shows 2 uses remaining`);
    return entry;
}

// 5. createRoom's coverage row links to its request: following the link filters the list to it
// or selects it (the contract allows either).
async function checkCoverageLink(page, violatingEntry, conformantEntry) {
    const check = "5. coverage link";
    const inRow = 'section#coverage tr[data-operation="createRoom"]';
    const link = await page.$(`${inRow} a, ${inRow} button`);
    if (!link) fail(check, `${inRow} has no link (a or button) to its request`);
    await link.click();
    try {
        await page.waitForFunction(
            (violating, conformant, violatingBody) => {
                const shown = (selector) => document.querySelector(selector)?.getClientRects().length > 0;
                const selected = document.querySelector("pre#detail-request-body")?.textContent.includes(violatingBody);
                return shown(violating) && (!shown(conformant) || selected);
            },
            { timeout: waitMs, polling: 100 },
            rowSelector(violatingEntry.id),
            rowSelector(conformantEntry.id),
            "no token sent",
        );
    } catch {
        const rows = await listedRowIds(page, true);
        fail(
            check,
            `after following createRoom's link the list shows rows [${rows.join(", ")}] and the detail does not show ` +
                `request ${violatingEntry.id}; expected the list filtered to it or it selected`,
        );
    }
    step(`5. createRoom's coverage link leads to request ${violatingEntry.id}`);
}

// 6. A fresh load lists the entries already there (hostile ones included) without markup; the
// hostile JSON body is opened for the screenshot.
async function checkReload(page, entries, hostileJsonEntry, problems) {
    const check = "6. reload";
    await page.reload({ waitUntil: "load", timeout: waitMs });
    await waitUntilReady(page, check, problems);
    const expected = entries.map((entry) => String(entry.id));
    const listed = await listedRowIds(page);
    const missing = expected.filter((id) => !listed.includes(id));
    if (missing.length > 0) {
        fail(check, `after reloading, rows [${missing.join(", ")}] are missing from table#request-list (it lists [${listed.join(", ")}])`);
    }
    const markup = await injectedMarkup(page);
    if (markup.length > 0) fail(check, `a request's value became markup on first load: ${markup.join(" | ")}`);
    await openDetail(page, check, hostileJsonEntry.id, hostileJsonValue);
    // Clicking scrolled the list to the row: scroll it back to its end, and the body into the
    // detail pane's view.
    await page.evaluate(() => {
        document.querySelector("pre#detail-request-body").scrollIntoView({ block: "center", inline: "nearest" });
        for (let element = document.querySelector("table#request-list"); element; element = element.parentElement) element.scrollTop = 0;
        window.scrollTo(0, 0);
    });
    step(`6. reloaded: rows [${expected.join(", ")}] listed, no markup; row ${hostileJsonEntry.id} open`);
}

// 6. The screenshot, then what it must show: a request's status and operation, and an
// operation's verdict, not scrolled or clipped away.
async function checkScreenshot(page, screenshotFile, problems) {
    const check = "6. screenshot";
    mkdirSync(path.dirname(screenshotFile), { recursive: true });
    await page.screenshot({ path: screenshotFile });
    step(`6. screenshot of the request list and coverage view: ${screenshotFile}`);
    const hidden = await notOnScreen(page, [
        "table#request-list tr[data-entry-id] .status",
        "table#request-list tr[data-entry-id] .operation",
        "section#coverage tr[data-operation] .verdict",
    ]);
    if (hidden.length > 0) fail(check, `not visible at ${viewport.width}x${viewport.height}: ${hidden.join("; ")}`);
    failOnProblems(check, problems);
}

// 7. With thousands of entries (the page pages them), a new request still appears within 1 s
// and opens; prints how many rows the page keeps drawn.
async function checkThousands(page, baseUrl, username, problems) {
    const check = "7. thousands";
    const count = 3000;
    const started = Date.now();
    // In batches of 100 at a time, as a busy client would; GET /versions is cheap to answer.
    for (let sent = 0; sent < count; sent += 100) {
        await Promise.all(
            Array.from({ length: Math.min(100, count - sent) }, () =>
                fetch(`${baseUrl}/_matrix/client/versions`).then((response) => response.arrayBuffer()),
            ),
        );
    }
    step(`7. sent ${count} more requests in ${Date.now() - started} ms`);
    await watchRows(page);
    const sent = await send(baseUrl, "after-thousands", {
        method: "POST",
        requestPath: "/_matrix/client/v3/login",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: username }, password: "wrong" }),
    });
    const entry = await journalEntry(baseUrl, sent.target);
    const latencyMs = (await waitForRow(page, check, entry.id)) - sent.sentAt;
    const drawn = (await listedRowIds(page)).length;
    step(`7. with ${entry.id} journal entries, row ${entry.id} appeared ${latencyMs} ms after it was sent; ${drawn} rows drawn`);
    if (latencyMs > liveRowLimitMs) {
        fail(check, `with ${entry.id} journal entries, row ${entry.id} appeared ${latencyMs} ms after its request was sent, more than ${liveRowLimitMs} ms`);
    }
    await openDetail(page, check, entry.id, "m.login.password");
    failOnProblems(check, problems);
}

async function run(baseUrl, screenshotFile, chromiumPath) {
    const browser = await puppeteer.launch({
        executablePath: chromiumPath,
        headless: true,
        defaultViewport: viewport,
        // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
        args: ["--no-sandbox", "--disable-dev-shm-usage", `--window-size=${viewport.width},${viewport.height}`],
    });
    let page;
    let stopCollecting = () => {};
    try {
        step(`Chromium ${await browser.version()} (${chromiumPath})`);
        page = await browser.newPage();
        const { problems, stop } = collectProblems(page);
        stopCollecting = stop;
        const username = `uitest${process.pid}`;

        await checkLoad(page, baseUrl, problems);
        const { entry: conformantEntry } = await checkLiveRow(page, baseUrl, username);
        await checkDetail(page, conformantEntry, username);
        const [hostileJsonEntry, hostileTextEntry] = await checkHostileInput(page, baseUrl, problems);
        const violatingEntry = await checkViolation(page, baseUrl, conformantEntry);
        const stubbedEntry = await checkStub(page, baseUrl);
        await checkCoverageLink(page, violatingEntry, conformantEntry);
        const entries = [conformantEntry, hostileJsonEntry, hostileTextEntry, violatingEntry, stubbedEntry];
        await checkReload(page, entries, hostileJsonEntry, problems);
        await checkScreenshot(page, screenshotFile, problems);
        await checkThousands(page, baseUrl, username, problems);
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
        stopCollecting(); // closing the browser cancels the page's pending polls
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
