// The stubs in force, with their uses and how many they have left.
import { el, replaceChildren } from "./dom.js";

export function renderStubs(table, totals, data) {
  const rows = data.stubs.map((stub) => {
    const row = el("tr");
    row.dataset.stubId = stub.id;
    const remaining = el("td", "remaining", stub.remaining);
    if (stub.remaining === 0) remaining.classList.add("error");
    row.append(
      el("td", "stub-id", stub.name ? `${stub.name} (${stub.id})` : stub.id),
      el("td", "request", stub.request),
      el("td", "priority", stub.priority),
      el("td", "uses", stub.expected_uses === null ? stub.uses
        : `${stub.uses} (expected ${stub.expected_uses})`),
      remaining,
      el("td", "source", stub.source),
    );
    return row;
  });
  if (rows.length === 0) {
    const none = el("td", "empty", "No stub is mounted.");
    none.colSpan = 6;
    const row = el("tr");
    row.append(none);
    rows.push(row);
  }
  replaceChildren(table.tBodies[0], rows);
  totals.textContent = `${data.meta.total} mounted`;
}
