// The detail pane: one journal entry as GET /__admin/requests/{id} gives it, with its answer.
import { el, headerRows, readableBody, replaceChildren } from "./dom.js";

const byId = (id) => document.getElementById(id);

function fact(list, name, value) {
  list.append(el("dt", "", name), el("dd", "", value));
}

function problems(list, items, describe, noneText) {
  const rows = items.map((item) => el("li", "", describe(item)));
  replaceChildren(list, rows.length > 0 ? rows : [el("li", "none", noneText)]);
}

export function showMessage(text) {
  byId("detail-content").hidden = true;
  const note = byId("detail-empty");
  note.textContent = text;
  note.hidden = false;
}

export function showEntry(entry) {
  const summary = byId("detail-summary");
  replaceChildren(summary);
  fact(summary, "id", entry.id);
  fact(summary, "request", `${entry.method} ${entry.target}`);
  fact(summary, "operation", entry.operation ?? "none (not a spec operation)");
  fact(summary, "path version", entry.path_version ?? "—");
  fact(summary, "answered by", entry.answered_by ?? "none");
  fact(summary, "status", entry.status);
  fact(summary, "arrived", entry.arrived);
  fact(summary, "client", entry.remote);
  if (entry.flags?.length) fact(summary, "noticed", entry.flags.join("; "));

  problems(byId("detail-violations"), entry.violations ?? [],
    (v) => `${v.where}: ${v.rule}: ${v.message}`, "none: the request follows the spec");
  problems(byId("detail-near-misses"), entry.near_misses ?? [],
    (m) => `${m.stub_name || m.stub_id} (${m.predicates_passed}/${m.predicates_total} ` +
      `predicates): ${m.failed_predicate}`,
    "none");
  byId("detail-canonical-path").textContent = entry.path_canonical
    ? `${entry.path} (canonical)`
    : `${entry.canonical_path} (sent as ${entry.path})`;

  replaceChildren(byId("detail-request-headers").tBodies[0], headerRows(entry.headers));
  byId("detail-request-body").textContent = readableBody(entry);

  const response = entry.response ?? { status: entry.status, headers: [], body: "" };
  byId("detail-response-status").textContent = `${response.status}`;
  replaceChildren(byId("detail-response-headers").tBodies[0], headerRows(response.headers));
  byId("detail-response-body").textContent = readableBody(response);

  byId("detail-empty").hidden = true;
  byId("detail-content").hidden = false;
}
