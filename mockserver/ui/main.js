// The dashboard's start: the first load of requests, coverage and stubs, then a long-poll that
// puts each new request on top within moments of its arrival, refreshing coverage and stubs
// after it.
import * as api from "./api.js";
import { CoverageView } from "./coverage.js";
import { showEntry, showMessage } from "./detail.js";
import { RequestList } from "./request_list.js";
import { renderStubs } from "./stubs.js";

const byId = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// How long one long-poll may wait before it asks again (the server ends it empty then).
const LONG_POLL_MS = 25000;

function setConnection(live, problem) {
  const connection = byId("connection");
  connection.textContent = live ? "live" : `disconnected: ${problem}`;
  connection.className = `connection ${live ? "live" : "down"}`;
}

function showTotals(meta) {
  byId("journal-totals").textContent =
    `${meta.total} in the journal, ${meta.evicted} evicted, newest id ${meta.last_id}`;
}

// Only the newest click's answer is shown, however the answers arrive.
let detailSequence = 0;
async function showDetail(id) {
  const mine = ++detailSequence;
  try {
    const entry = await api.requestDetail(id);
    if (mine === detailSequence) showEntry(entry);
  } catch (error) {
    if (mine === detailSequence) showMessage(`Request ${id}: ${error.message}`);
  }
}

const list = new RequestList(byId("request-list"), byId("older"), byId("request-list-empty"),
  showDetail);

function pickOperation(operationId, requestIds) {
  list.filterOperation(operationId);
  byId("request-filter-label").textContent = `operation ${operationId}`;
  byId("request-filter").hidden = false;
  if (requestIds.length > 0) list.select(requestIds[requestIds.length - 1]);
}

const coverage = new CoverageView(byId("coverage-list"), byId("coverage-totals"), pickOperation);

byId("request-filter-clear").addEventListener("click", () => {
  list.filterOperation(null);
  byId("request-filter").hidden = true;
});

byId("older").addEventListener("click", async () => {
  const button = byId("older");
  button.disabled = true;
  try {
    const page = await api.olderRequests(list.oldestId);
    list.addOlder(page.requests, page.requests.length === api.PAGE_SIZE);
  } catch (error) {
    setConnection(false, error.message);
  } finally {
    button.disabled = false;
  }
});

async function refreshSides() {
  const [coverageData, stubData] = await Promise.all([api.coverage(), api.stubs()]);
  coverage.render(coverageData);
  renderStubs(byId("stub-list"), byId("stub-totals"), stubData);
}

// Coverage and stubs change with requests; a burst of them refreshes both once a second at most:
// the coverage is counted over the whole journal on the server's workers, which serve clients.
let refreshPending = false;
function scheduleRefresh() {
  if (refreshPending) return;
  refreshPending = true;
  setTimeout(async () => {
    refreshPending = false;
    try {
      await refreshSides();
    } catch (error) {
      setConnection(false, error.message);
    }
  }, 1000);
}

async function follow() {
  for (;;) {
    try {
      const page = await api.newerRequests(list.newestId, LONG_POLL_MS);
      setConnection(true);
      showTotals(page.meta);
      if (page.requests.length > 0) {
        list.addNewer(page.requests);
        scheduleRefresh();
      }
    } catch (error) {
      setConnection(false, error.message);
      await sleep(1000);
    }
  }
}

async function start() {
  for (;;) {
    try {
      const page = await api.newestRequests();
      list.addNewer(page.requests);
      list.olderButton.hidden = page.requests.length < api.PAGE_SIZE;
      showTotals(page.meta);
      await refreshSides();
      setConnection(true);
      document.body.dataset.ready = "true";
      break;
    } catch (error) {
      setConnection(false, error.message);
      await sleep(1000);
    }
  }
  follow();
}

start();
