// The request list: one row per journal entry, newest first. New rows are put on top as they
// arrive and older pages appended below, so nothing already shown is rendered again; the
// rows shown are capped, and the ones dropped come back through "older requests".
import { el } from "./dom.js";

const MAX_ROWS = 2000;

export class RequestList {
  constructor(table, olderButton, emptyNote, onSelect) {
    this.body = table.tBodies[0];
    this.olderButton = olderButton;
    this.emptyNote = emptyNote;
    this.onSelect = onSelect;
    this.newestId = 0; // the long-poll continues after it
    this.oldestId = null; // the "older" page ends before it
    this.operationFilter = null;
    this.body.addEventListener("click", (event) => {
      const row = event.target.closest("tr[data-entry-id]");
      if (row) this.select(row.dataset.entryId);
    });
  }

  row(entry) {
    const row = el("tr");
    row.dataset.entryId = String(entry.id);
    row.dataset.operation = entry.operation ?? "";
    if (entry.violations > 0) {
      row.classList.add("violating");
      row.title = `${entry.violations} violation(s) of the spec`;
    }
    const status = el("td", "status", entry.status);
    if (entry.status >= 400 || entry.status === 0) status.classList.add("error");
    row.append(
      el("td", "id", entry.id),
      el("td", "method", entry.method),
      el("td", "target", entry.target),
      status,
      el("td", "operation", entry.operation ?? "—"),
      el("td", "answered-by", entry.answered_by),
    );
    this.applyFilter(row);
    return row;
  }

  // Entries newer than any shown, in id order: each goes on top.
  addNewer(entries) {
    const rows = document.createDocumentFragment();
    for (let i = entries.length - 1; i >= 0; i--) rows.append(this.row(entries[i]));
    this.body.prepend(rows);
    if (entries.length > 0) {
      this.newestId = Math.max(this.newestId, entries[entries.length - 1].id);
      if (this.oldestId === null) this.oldestId = entries[0].id;
    }
    this.trim();
    this.update();
  }

  // Entries older than any shown, in id order: appended below.
  addOlder(entries, moreOlder) {
    const rows = document.createDocumentFragment();
    for (let i = entries.length - 1; i >= 0; i--) rows.append(this.row(entries[i]));
    this.body.append(rows);
    if (entries.length > 0) {
      this.oldestId = entries[0].id;
      this.newestId = Math.max(this.newestId, entries[entries.length - 1].id);
    }
    this.olderButton.hidden = !moreOlder;
    this.update();
  }

  trim() {
    let dropped = false;
    while (this.body.rows.length > MAX_ROWS) {
      this.body.lastElementChild.remove();
      dropped = true;
    }
    if (dropped) {
      this.oldestId = Number(this.body.lastElementChild.dataset.entryId);
      this.olderButton.hidden = false;
    }
  }

  update() {
    this.emptyNote.hidden = this.body.rows.length > 0;
  }

  select(id) {
    for (const row of this.body.querySelectorAll("tr.selected")) row.classList.remove("selected");
    const row = this.body.querySelector(`tr[data-entry-id="${CSS.escape(String(id))}"]`);
    if (row) row.classList.add("selected");
    this.onSelect(id);
  }

  // Shows only the rows of `operationId` (null: all).
  filterOperation(operationId) {
    this.operationFilter = operationId;
    for (const row of this.body.rows) this.applyFilter(row);
  }

  applyFilter(row) {
    const hidden = this.operationFilter !== null && row.dataset.operation !== this.operationFilter;
    row.classList.toggle("filtered-out", hidden);
  }
}
