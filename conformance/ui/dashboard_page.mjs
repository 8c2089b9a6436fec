// What the dashboard's browser test reads and does in the page, through its stable hooks only:
// table#request-list rows by data-entry-id (cells .method .target .status .operation
// .answered-by, class violating), section#detail with pre#detail-request-body, section#coverage
// rows by data-operation with a .verdict, section#stubs, body[data-ready].

import { fail, waitMs } from "./check_failure.mjs";

export const requestRows = "table#request-list tr[data-entry-id]";

export function rowSelector(entryId) {
    return `table#request-list tr[data-entry-id="${entryId}"]`;
}

// Collects what must never happen on the page: console errors, uncaught errors, failed or
// 4xx/5xx requests of the page's own, and dialogs (an injected alert()). Returns the list and a
// function that stops collecting, for closing the browser (which cancels pending polls).
export function collectProblems(page) {
    const problems = [];
    let listening = true;
    page.on("console", (message) => {
        if (listening && message.type() === "error") {
            problems.push(`console error: ${message.text()} (${message.location()?.url ?? "no location"})`);
        }
    });
    page.on("pageerror", (error) => {
        if (listening) problems.push(`page error: ${error.message}`);
    });
    page.on("requestfailed", (request) => {
        if (listening) {
            problems.push(`failed request: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
        }
    });
    page.on("response", (response) => {
        if (listening && response.status() >= 400) {
            problems.push(`request answered ${response.status()}: ${response.request().method()} ${response.url()}`);
        }
    });
    page.on("dialog", async (dialog) => {
        problems.push(`dialog opened (${dialog.type()}): ${dialog.message()}`);
        await dialog.dismiss().catch(() => {});
    });
    return { problems, stop: () => (listening = false) };
}

// Waits for the page's first render; a failure lists the `problems` collected so far (the
// likeliest reason it never finished).
export async function waitUntilReady(page, check, problems) {
    try {
        await page.waitForSelector('body[data-ready="true"]', { timeout: waitMs });
    } catch {
        fail(check, `body[data-ready="true"] not set after ${waitMs} ms; problems seen: ${problems.join("; ") || "none"}`);
    }
}

// Records, in the page, when each request row first appears (Date.now(), the clock Node's
// Date.now() reads too), so a live row's latency is measured where it is drawn, however the
// page re-renders the list.
export async function watchRows(page) {
    await page.evaluate((rows) => {
        window.__uitestRowSeenAt = {};
        const record = () => {
            const now = Date.now();
            for (const row of document.querySelectorAll(rows)) {
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
    }, requestRows);
}

// Waits for the row of journal entry `entryId` (watchRows first) and returns when it appeared.
export async function waitForRow(page, check, entryId) {
    const id = String(entryId);
    try {
        await page.waitForFunction((wanted) => wanted in window.__uitestRowSeenAt, { timeout: waitMs, polling: 50 }, id);
    } catch {
        const rows = await listedRowIds(page);
        fail(check, `no row tr[data-entry-id="${id}"] in table#request-list after ${waitMs} ms; rows: [${rows.join(", ")}]`);
    }
    return page.evaluate((wanted) => window.__uitestRowSeenAt[wanted], id);
}

// The entry ids of the listed rows; with `visibleOnly`, of those displayed (not filtered out).
export function listedRowIds(page, visibleOnly = false) {
    return page.$$eval(
        requestRows,
        (rows, onlyVisible) =>
            rows.filter((row) => !onlyVisible || row.getClientRects().length > 0).map((row) => row.getAttribute("data-entry-id")),
        visibleOnly,
    );
}

export function cellText(page, entryId, cellClass) {
    return page.$eval(`${rowSelector(entryId)} .${cellClass}`, (cell) => cell.textContent.trim()).catch(() => null);
}

export function rowHasClass(page, entryId, className) {
    return page.$eval(rowSelector(entryId), (row, name) => row.classList.contains(name), className);
}

// What a hostile value would have become had the page inserted it as HTML: elements with an
// onerror handler or an img of src "x", and scripts inside the page's sections.
export function injectedMarkup(page) {
    return page.evaluate(() =>
        [
            ...document.querySelectorAll('[onerror], img[src="x"]'),
            ...document.querySelectorAll("#detail script, #request-list script, #coverage script, #stubs script"),
        ].map((element) => element.outerHTML.slice(0, 120)),
    );
}

// Clicks a request's row and waits until pre#detail-request-body contains `expected`.
export async function openDetail(page, check, entryId, expected) {
    await page.click(rowSelector(entryId));
    try {
        await page.waitForFunction(
            (text) => document.querySelector("section#detail pre#detail-request-body")?.textContent.includes(text),
            { timeout: waitMs, polling: 50 },
            expected,
        );
    } catch {
        const shown = await page.evaluate(
            () => document.querySelector("pre#detail-request-body")?.textContent ?? "(no pre#detail-request-body)",
        );
        const markup = await injectedMarkup(page);
        fail(
            check,
            `after clicking row ${entryId}, pre#detail-request-body does not contain ${JSON.stringify(expected)}; ` +
                `it shows ${JSON.stringify(shown.slice(0, 300))}` +
                (markup.length > 0 ? `; request values became markup: ${markup.join(" | ")}` : ""),
        );
    }
}

function verdictCell(operationId) {
    return `section#coverage tr[data-operation="${operationId}"] .verdict`;
}

// The coverage view's verdict for `operationId`, waiting for its row to be drawn.
export async function verdictOf(page, check, operationId) {
    try {
        const handle = await page.waitForFunction(
            (selector) => document.querySelector(selector)?.textContent.trim() || null,
            { timeout: waitMs, polling: 100 },
            verdictCell(operationId),
        );
        return await handle.jsonValue();
    } catch {
        fail(check, `no section#coverage tr[data-operation="${operationId}"] with a .verdict cell after ${waitMs} ms`);
    }
}

// Waits until the coverage view, refreshing on its own schedule, gives `operationId` `verdict`.
export async function waitForVerdict(page, check, operationId, verdict, because) {
    try {
        await page.waitForFunction(
            (selector, wanted) => document.querySelector(selector)?.textContent.trim() === wanted,
            { timeout: waitMs, polling: 100 },
            verdictCell(operationId),
            verdict,
        );
    } catch {
        const seen = await verdictOf(page, check, operationId);
        fail(check, `${operationId}'s verdict is ${JSON.stringify(seen)} ${waitMs} ms after ${because}, not ${JSON.stringify(verdict)}`);
    }
}

// The selectors among `selectors` whose first element is not visible in the viewport: outside
// it, clipped by a scrolling container or covered (judged by what is drawn at its centre).
export function notOnScreen(page, selectors) {
    return page.evaluate((wanted) => {
        const describe = (element) =>
            `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}` +
            `${element.className ? `.${String(element.className).trim().split(/\s+/).join(".")}` : ""}`;
        return wanted.flatMap((selector) => {
            const element = document.querySelector(selector);
            if (!element) return [`${selector} (none on the page)`];
            const box = element.getBoundingClientRect();
            const atCentre = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            if (atCentre !== null && (atCentre === element || element.contains(atCentre))) return [];
            const where = `at (${Math.round(box.left)}, ${Math.round(box.top)})`;
            return [`${selector} ${where} is ${atCentre === null ? "outside the viewport" : `under ${describe(atCentre)}`}`];
        });
    }, selectors);
}
