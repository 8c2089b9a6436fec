// The coverage view: every spec operation with its verdict, the ones with requests on top
// (violating first). Rows are made once and updated in place, so refreshing it as requests
// arrive costs little.
import { el } from "./dom.js";

const VERDICTS = ["never", "exercised", "conformant", "violating"];
// The order rows are shown in: what needs looking at first.
const RANK = { violating: 0, exercised: 1, conformant: 2, never: 3 };

export class CoverageView {
  constructor(table, totals, onPickOperation) {
    this.body = table.tBodies[0];
    this.totals = totals;
    this.onPickOperation = onPickOperation;
    this.rows = new Map(); // operationId -> {row, verdict, count}
  }

  render(coverage) {
    for (const operation of coverage.operations) {
      let cells = this.rows.get(operation.operation);
      if (!cells) {
        cells = this.makeRow(operation);
        this.rows.set(operation.operation, cells);
      }
      this.update(cells, operation);
    }
    // A stable sort keeps the spec's order within each verdict; moving a row is cheap.
    const ordered = [...coverage.operations].sort((a, b) => RANK[a.verdict] - RANK[b.verdict]);
    this.body.append(...ordered.map((operation) => this.rows.get(operation.operation).row));
    const t = coverage.totals;
    this.totals.textContent = `${t.operations} operations: ` +
      VERDICTS.map((v) => `${t[v]} ${v}`).join(", ");
  }

  makeRow(operation) {
    const row = el("tr");
    row.dataset.operation = operation.operation;
    const verdict = el("td", "verdict");
    const count = el("td", "requests");
    row.append(
      el("td", "operation-id", operation.operation),
      el("td", "method", operation.method),
      el("td", "path", operation.path_template ?? "—"),
      verdict,
      count,
    );
    return { row, verdict, count };
  }

  update(cells, operation) {
    cells.verdict.textContent = operation.verdict;
    cells.verdict.className = `verdict verdict-${operation.verdict}`;
    cells.row.classList.toggle("verdict-row-violating", operation.verdict === "violating");
    if (operation.seen === 0) {
      cells.count.replaceChildren();
      return;
    }
    const link = el("button", "link", operation.seen);
    link.type = "button";
    link.title = `show its ${operation.seen === 1 ? "request" : "requests"} in the list`;
    link.addEventListener("click", () =>
      this.onPickOperation(operation.operation, operation.request_ids));
    cells.count.replaceChildren(link);
  }
}
