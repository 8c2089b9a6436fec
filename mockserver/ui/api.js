// The admin API the dashboard reads (docs/dashboard.md lists the routes).

// "/__admin/": the folder above this file's own (/__admin/ui/api.js).
const ADMIN = new URL("..", import.meta.url).pathname;

// GETs an admin route and parses its JSON; throws an Error naming the route and the status.
export async function getJson(route, signal) {
  const response = await fetch(ADMIN + route, { signal, cache: "no-store" });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`GET ${ADMIN}${route}: ${response.status} ${text.slice(0, 200)}`);
  }
  return JSON.parse(text);
}

export const PAGE_SIZE = 200;

// The newest page of the journal, in short form.
export const newestRequests = () => getJson(`requests?limit=${PAGE_SIZE}&view=summary`);

// The page older than `beforeId`.
export const olderRequests = (beforeId) =>
  getJson(`requests?before=${beforeId}&limit=${PAGE_SIZE}&view=summary`);

// Answers as soon as a request newer than `afterId` is recorded, or empty after `waitMs`.
export const newerRequests = (afterId, waitMs, signal) =>
  getJson(`requests?after=${afterId}&limit=${PAGE_SIZE}&wait_ms=${waitMs}&view=summary`,
    signal);

export const requestDetail = (id) => getJson(`requests/${encodeURIComponent(id)}`);
export const coverage = () => getJson("coverage");
export const stubs = () => getJson("stubs");
